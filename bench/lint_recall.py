"""Lint recall on hand-written bad replies in five languages, and cleanliness of good ones.

    python bench/lint_recall.py [--playbook default]

Every reply below was written for replybook (none comes from any data set): each bad reply
breaks one default rule in a wording that was in none of that rule's phrases or examples
when it was written (some have since become examples), so the table measures whether a
rule catches a mistake said in other words.
Bad replies with a comment run with it, as `replybook lint --comment` does. Prints, per
language, how many bad replies their rule caught, the misses, and any warning or error on
the good replies (target: every bad one caught, no good one flagged). Nothing is timed.
"""

# ruff: noqa: E501  (a table of replies, one a line)

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replybook import lint, load_playbook  # noqa: E402

# (language, rule, comment or None, reply)
BAD = [
    ('en', 'private-data-in-public', None, "Hi Sam, sorry about that! Just post your full card number and the expiry date below and we'll check. – Dana"),
    ('en', 'private-data-in-public', None, 'Hey Jo, could you share your login password in this thread so our team can take a look? – Lee'),
    ('en', 'blames-customer', None, "Hi Kim, it looks like you didn't follow the setup guide properly, that's why it failed. – Dana"),
    ('en', 'defensive-tone', None, "Hi Kim, with respect, our drivers are never late, so this can't be right. – Dana"),
    ('en', 'calm-down', None, "Hi Kim, please relax, there's no need to get so worked up about a parcel. – Dana"),
    ('en', 'over-promise', None, 'Hi Kim, I guarantee this will never happen to you again. – Dana'),
    ('en', 'bot-voice', None, 'Dear valued customer, your feedback is important to us. – Dana'),
    ('en', 'talks-of-deleting', None, 'Hi Kim, we will be removing this comment as it breaks our page rules. – Dana'),
    ('en', 'condescending', None, "Hi Kim, as we already explained, it's really quite simple if you read the FAQ. – Dana"),
    ('tr', 'private-data-in-public', None, 'Merhaba Ayşe, kart numaranızı ve son kullanma tarihini buraya yazar mısınız? Hemen bakalım. – Deniz'),
    ('tr', 'private-data-in-public', None, 'Merhaba Ali Bey, şifrenizi yorum olarak paylaşırsanız hesabınızı kontrol edebiliriz. – Deniz'),
    ('tr', 'blames-customer', None, 'Merhaba Ayşe Hanım, kurulumu yanlış yaptığınız için cihaz çalışmıyor. – Deniz'),
    ('tr', 'defensive-tone', None, 'Merhaba Ayşe Hanım, bizim kuryelerimiz asla geç kalmaz, sorun bizden kaynaklı değil. – Deniz'),
    ('tr', 'calm-down', None, 'Merhaba Ayşe Hanım, lütfen sakin olun, bu kadar sinirlenmenize gerek yok. – Deniz'),
    ('tr', 'over-promise', None, 'Merhaba Ayşe Hanım, bunun bir daha asla yaşanmayacağını garanti ediyoruz. – Deniz'),
    ('tr', 'bot-voice', None, 'Değerli müşterimiz, geri bildiriminiz bizim için önemlidir. – Deniz'),
    ('tr', 'talks-of-deleting', None, 'Merhaba Ayşe Hanım, bu yorumu kurallarımıza aykırı olduğu için sileceğiz. – Deniz'),
    ('ru', 'private-data-in-public', None, 'Здравствуйте, Анна! Напишите, пожалуйста, номер карты и CVV прямо в комментариях, мы проверим. – Мария'),
    ('ru', 'private-data-in-public', None, 'Здравствуйте, Олег! Пришлите сюда ваш пароль от личного кабинета, и мы посмотрим. – Мария'),
    ('ru', 'blames-customer', None, 'Здравствуйте, Анна! Вы сами неправильно указали адрес, поэтому заказ не доставлен. – Мария'),
    ('ru', 'defensive-tone', None, 'Здравствуйте, Анна! Наши курьеры никогда не опаздывают, это не наша вина. – Мария'),
    ('ru', 'calm-down', None, 'Здравствуйте, Анна! Успокойтесь, пожалуйста, не нужно так нервничать. – Мария'),
    ('ru', 'over-promise', None, 'Здравствуйте, Анна! Гарантируем, что такое больше никогда не повторится. – Мария'),
    ('ru', 'bot-voice', None, 'Уважаемый клиент, ваше мнение очень важно для нас. – Мария'),
    ('ru', 'talks-of-deleting', None, 'Здравствуйте, Анна! Мы удалим этот комментарий, так как он нарушает правила. – Мария'),
    ('fa', 'private-data-in-public', None, 'سلام مریم جان، لطفاً شماره کارت و رمز دومتان را همین\u200cجا در کامنت بنویسید تا بررسی کنیم. – سارا'),
    ('fa', 'private-data-in-public', None, 'سلام آقای رضایی، رمز عبور حسابتان را اینجا بفرستید تا بررسی کنیم. – سارا'),
    ('fa', 'blames-customer', None, 'سلام مریم خانم، شما آدرس را اشتباه وارد کردید، برای همین سفارش نرسید. – سارا'),
    ('fa', 'defensive-tone', None, 'سلام مریم خانم، پیک\u200cهای ما هیچ\u200cوقت دیر نمی\u200cکنند و مشکل از ما نیست. – سارا'),
    ('fa', 'calm-down', None, 'سلام مریم خانم، لطفاً آرام باشید، لازم نیست این\u200cقدر عصبانی شوید. – سارا'),
    ('fa', 'over-promise', None, 'سلام مریم خانم، تضمین می\u200cکنیم که دیگر هرگز چنین اتفاقی نیفتد. – سارا'),
    ('fa', 'bot-voice', None, 'مشتری گرامی، نظر شما برای ما بسیار ارزشمند است. – سارا'),
    ('fa', 'talks-of-deleting', None, 'سلام مریم خانم، این کامنت را حذف می\u200cکنیم چون خلاف قوانین است. – سارا'),
    ('fi', 'private-data-in-public', None, 'Moi Aino! Laita tähän kommenttiin korttisi numero ja turvakoodi, niin tarkistetaan. – Pyry'),
    ('fi', 'private-data-in-public', None, 'Hei Matti! Kirjoita salasanasi tähän ketjuun, niin katsotaan tiliäsi. – Pyry'),
    ('fi', 'blames-customer', None, 'Moi Aino! Annoit itse väärän osoitteen, siksi paketti ei tullut. – Pyry'),
    ('fi', 'defensive-tone', None, 'Moi Aino! Meidän kuljettajat eivät koskaan myöhästy, vika ei ole meissä. – Pyry'),
    ('fi', 'calm-down', None, 'Moi Aino! Rauhoitu nyt vähän, ei tästä kannata hermostua. – Pyry'),
    ('fi', 'over-promise', None, 'Moi Aino! Lupaan, että tätä ei tapahdu enää ikinä. – Pyry'),
    ('fi', 'bot-voice', None, 'Arvoisa asiakas, palautteesi on meille tärkeää. – Pyry'),
    ('fi', 'talks-of-deleting', None, 'Moi Aino! Poistamme tämän kommentin, koska se rikkoo sääntöjä. – Pyry'),
    ('en', 'sarcasm', None, 'Hi Kim, wow, thanks a LOT for pointing out our obvious mistake, super helpful. – Dana'),
    ('en', 'condescending', None, "Hi Kim, it's honestly not that complicated, the button is right there. – Dana"),
    ('en', 'calm-down', None, "Hi Kim, let's all take a deep breath here, no need to shout. – Dana"),
    ('en', 'over-promise', None, 'Hi Kim, your refund will 100% be back in your account today, promise! – Dana'),
    ('en', 'bot-voice', None, 'Hello, we apologize for any inconvenience this may have caused. – Dana'),
    ('en', 'policy-speak', None, 'Hi Kim, as per our policy, refunds are not possible after 14 days. – Dana'),
    ('tr', 'sarcasm', None, 'Merhaba Ayşe Hanım, hatamızı gösterdiğiniz için ne kadar da teşekkür etsek az, çok yardımcı oldunuz(!). – Deniz'),
    ('tr', 'calm-down', None, 'Merhaba Ayşe Hanım, biraz sakinleşirseniz yardımcı olabiliriz. – Deniz'),
    ('tr', 'bot-voice', None, 'Sayın müşterimiz, yaşadığınız olumsuzluktan dolayı özür dileriz. – Deniz'),
    ('tr', 'policy-speak', None, 'Merhaba Ayşe Hanım, şirket politikamız gereği iade yapılamamaktadır. – Deniz'),
    ('tr', 'over-promise', None, 'Merhaba Ayşe Hanım, paranız bugün %100 hesabınızda olacak, söz veriyoruz! – Deniz'),
    ('ru', 'sarcasm', None, 'Здравствуйте, Анна! Ну спасибо огромное, что указали на нашу ошибку, очень помогли. – Мария'),
    ('ru', 'calm-down', None, 'Здравствуйте, Анна! Давайте без эмоций, не надо кричать. – Мария'),
    ('ru', 'policy-speak', None, 'Здравствуйте, Анна! Согласно нашей политике, возврат после 14 дней невозможен. – Мария'),
    ('ru', 'over-promise', None, 'Здравствуйте, Анна! Деньги точно вернутся сегодня, обещаем на 100%! – Мария'),
    ('ru', 'bot-voice', None, 'Уважаемый абонент, приносим извинения за доставленные неудобства. – Мария'),
    ('fa', 'calm-down', None, 'سلام مریم خانم، لطفاً خونسردی خود را حفظ کنید، داد زدن فایده ندارد. – سارا'),
    ('fa', 'policy-speak', None, 'سلام مریم خانم، طبق قوانین شرکت، مرجوعی بعد از ۷ روز امکان\u200cپذیر نیست. – سارا'),
    ('fa', 'over-promise', None, 'سلام مریم خانم، قول می\u200cدهیم پولتان صددرصد امروز برگردد! – سارا'),
    ('fa', 'bot-voice', None, 'کاربر گرامی، از بروز این مشکل پوزش می\u200cطلبیم. – سارا'),
    ('fi', 'calm-down', None, 'Moi Aino! Otetaanpa ihan rauhassa, ei tarvitse huutaa. – Pyry'),
    ('fi', 'policy-speak', None, 'Moi Aino! Käytäntöjemme mukaisesti palautus ei ole mahdollista 14 päivän jälkeen. – Pyry'),
    ('fi', 'over-promise', None, 'Moi Aino! Rahat ovat tililläsi tänään, sataprosenttisesti lupaan! – Pyry'),
    ('fi', 'bot-voice', None, 'Hyvä asiakas, pahoittelemme aiheutunutta haittaa. – Pyry'),
    ('fi', 'sarcasm', None, 'Moi Aino! No kiitos tosi paljon että huomautit meidän virheestä, oli tosi avuliasta. – Pyry'),
    ('en', 'complaint-without-apology', '@Acme my order never arrived and nobody answers the phone', "Hi Sam, please DM us your order number and we'll check it today. – Dana"),
    ('en', 'joke-on-a-complaint', "@Acme my flight got cancelled and I missed my sister's wedding", "Hi Sam, looks like you'll need a time machine 😂 DM us and we'll check options. Sorry! – Dana"),
    ('en', 'good-question-to-anger', '@Acme why the hell does your app log me out every single day??', "Hi Sam, great question! We're sorry about this, DM us and we'll fix it today. – Dana"),
    ('en', 'echoes-an-insult', '@Acme your useless clowns lost my bag again', "Hi Sam, sorry our useless clowns lost your bag. DM us the tag number and we'll trace it today. – Dana"),
    ('en', 'praise-without-thanks', '@Acme the crew on my flight today were absolutely brilliant!', "Hi Sam, that's the crew from Leeds. – Dana"),
    ('tr', 'complaint-without-apology', '@Acme siparişim 10 gündür gelmedi, kimse de dönüş yapmıyor', "Merhaba Ayşe Hanım, sipariş numaranızı DM'den iletirseniz bugün kontrol edelim. – Deniz"),
    ('tr', 'joke-on-a-complaint', '@Acme uçuşum iptal oldu, kardeşimin düğününü kaçırdım', "Merhaba Ayşe Hanım, zaman makinesi lazım galiba 😂 DM'den yazın, bakalım. – Deniz"),
    ('tr', 'good-question-to-anger', '@Acme uygulamanız neden her gün beni atıyor ya??', "Merhaba Ayşe Hanım, çok güzel bir soru! Özür dileriz, DM'den yazarsanız bugün çözelim. – Deniz"),
    ('tr', 'praise-without-thanks', '@Acme bugünkü uçuştaki kabin ekibi harikaydı!', 'Merhaba Ayşe Hanım, o ekip İzmir ekibimizdi. – Deniz'),
    ('ru', 'complaint-without-apology', '@Acme заказ не пришёл уже 10 дней, никто не отвечает', 'Здравствуйте, Анна! Напишите номер заказа в личные сообщения, и мы проверим сегодня. – Мария'),
    ('ru', 'joke-on-a-complaint', '@Acme рейс отменили, я пропустила свадьбу сестры', 'Здравствуйте, Анна! Похоже, нужна машина времени 😂 Напишите в личку, разберёмся. – Мария'),
    ('ru', 'good-question-to-anger', '@Acme какого чёрта приложение каждый день меня выкидывает??', 'Здравствуйте, Анна! Отличный вопрос! Извините, напишите в личные сообщения, решим сегодня. – Мария'),
    ('ru', 'praise-without-thanks', '@Acme экипаж на сегодняшнем рейсе был просто великолепен!', 'Здравствуйте, Анна! Это был экипаж из Казани. – Мария'),
    ('fa', 'complaint-without-apology', '@Acme سفارشم ۱۰ روزه نرسیده و هیچکس جواب نمیده', 'سلام مریم خانم، شماره سفارش را در پیام خصوصی بفرستید تا امروز بررسی کنیم. – سارا'),
    ('fa', 'joke-on-a-complaint', '@Acme پروازم کنسل شد و عروسی خواهرم رو از دست دادم', 'سلام مریم خانم، انگار ماشین زمان لازم دارید 😂 در پیام خصوصی بنویسید. – سارا'),
    ('fa', 'good-question-to-anger', '@Acme چرا این اپ لعنتی هر روز منو بیرون میندازه؟؟', 'سلام مریم خانم، سؤال خیلی خوبی است! متأسفیم، در پیام خصوصی بنویسید تا امروز حل کنیم. – سارا'),
    ('fa', 'praise-without-thanks', '@Acme خدمه پرواز امروز فوق\u200cالعاده بودند!', 'سلام مریم خانم، آن خدمه از تیم شیراز بودند. – سارا'),
    ('fi', 'complaint-without-apology', '@Acme tilaus ei ole tullut 10 päivään eikä kukaan vastaa', 'Moi Aino! Laita tilausnumero yksityisviestillä, niin tarkistetaan tänään. – Pyry'),
    ('fi', 'joke-on-a-complaint', '@Acme lento peruttiin ja missasin siskon häät', 'Moi Aino! Aikakone taitaa olla tarpeen 😂 Laita yksityisviestiä, katsotaan. – Pyry'),
    ('fi', 'good-question-to-anger', '@Acme miksi helvetissä sovellus heittää mut ulos joka päivä??', 'Moi Aino! Hyvä kysymys! Pahoittelut, laita yksityisviestiä niin korjataan tänään. – Pyry'),
    ('fi', 'praise-without-thanks', '@Acme lennon henkilökunta oli tänään aivan mahtava!', 'Moi Aino! Se oli meidän Oulun porukka. – Pyry'),
]

# (language, reply): a good reply to a late parcel.
GOOD = [
    ('en', "Hi Kim, I'm really sorry your parcel is late. I've asked the courier for an update and we'll message you here by 5pm today. – Dana"),
    ('tr', "Merhaba Ayşe Hanım, siparişinizin gecikmesi için çok özür dileriz. Kargo firmasıyla görüştük, bugün 17:00'ye kadar buradan bilgi vereceğiz. – Deniz"),
    ('ru', 'Здравствуйте, Анна! Очень жаль, что посылка задерживается. Мы уже запросили статус у СДЭК и напишем Вам здесь сегодня до 17:00. – Мария'),
    ('fa', 'سلام مریم خانم، بابت تأخیر سفارشتان واقعاً متأسفیم. از پیک پیگیری کردیم و تا ساعت ۱۷ امروز همین\u200cجا خبرتان می\u200cکنیم. – سارا'),
    ('fi', 'Moi Aino! Tosi harmi, että paketti on myöhässä. Kysyimme Postilta tilannetta ja kerromme tässä tänään klo 17 mennessä. – Pyry'),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--playbook", default="default")
    args = parser.parse_args()
    playbook = load_playbook(args.playbook)
    caught: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses = []
    for lang, rule, comment, reply in BAD:
        found = {f.rule for f in lint(reply, playbook, comment=comment, lang=lang)}
        total[lang] += 1
        if rule in found:
            caught[lang] += 1
        else:
            misses.append((lang, rule, reply))
    flagged = []
    for lang, reply in GOOD:
        found = [f for f in lint(reply, playbook, lang=lang) if f.level in ("error", "warning")]
        if found:
            flagged.append((lang, sorted({f.rule for f in found}), reply))
    print(f"{'lang':<5} {'bad caught':>11} {'good flagged':>13}")
    for lang in sorted(total):
        bad = sum(1 for g in flagged if g[0] == lang)
        good = sum(1 for g in GOOD if g[0] == lang)
        print(f"{lang:<5} {caught[lang]:>5} of {total[lang]:<3} {bad:>6} of {good:<3}")
    print(f"{'all':<5} {sum(caught.values()):>5} of {sum(total.values()):<3} {len(flagged):>6} of {len(GOOD):<3}")
    for lang, rule, reply in misses:
        print(f"missed  {lang} {rule}: {reply}")
    for lang, rules, reply in flagged:
        print(f"flagged {lang} {', '.join(rules)}: {reply}")


if __name__ == "__main__":
    main()
