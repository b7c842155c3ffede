"""Turkish end to end: a Turkish comment in, the decision, a Turkish reply and Turkish lint out."""

from __future__ import annotations

import re

import pytest

from replybook import analyze, decide, draft, lint, load_playbook
from replybook.store import Incident, Pattern

PLAYBOOK = load_playbook("default")
AT = "2026-01-05T09:00:00Z"
INCIDENT = Pattern(
    "incident",
    4,
    Incident(1, "test", None, "sample", "open", "2026-01-05T08:00:00Z", "2026-01-05T08:55:00Z", 4),
)

# Words of English that never belong in a Turkish reply (brand and channel names aside).
ENGLISH = re.compile(
    r"\b(?:the|and|you|your|sorry|thanks|thank|please|we|our|hi|hello|send|team|within|hours?|"
    r"order|message|support|help|today)\b",
    re.IGNORECASE,
)
APOLOGY = re.compile(r"özür|üzgün|üzül|kusura bakmayın", re.IGNORECASE)


def decision(text: str, context: list[dict[str, str]] | None = None):
    return decide(analyze(text, PLAYBOOK, context=context), PLAYBOOK)


def reply(text: str, **options):
    options.setdefault("received_at", AT)
    return draft(text, PLAYBOOK, **options)


@pytest.mark.parametrize(
    ("text", "case", "flag"),
    [
        ("Kargom on gündür yolda, hâlâ teslim edilmedi", "complaint", "specific_problem"),
        ("Sepete ürün ekleyince uygulama sürekli çöküyor", "complaint", "specific_problem"),
        (
            "Habersiz siparişimi iptal ettiğiniz için çok teşekkürler, süper hizmet",
            "complaint",
            "sarcastic",
        ),
        ("Kasadaki çocuk çok nazikti ama kartımdan iki kez ücret çekildi", "complaint", "mixed"),
        ("Şifremi unuttum, hesabıma giremiyorum, hata bende", "complaint", "customer_mistake"),
        ("Bu ne rezalet, paketim YİNE kaybolmuş, kimse cevap vermiyor", "complaint", "angry"),
        (
            "İade süresi geçti diye ücret iadesi yapmıyorsunuz, paramı istiyorum",
            "refusal",
            "specific_problem",
        ),
        ("Kahveniz muhteşem, ellerinize sağlık!", "praise", None),
        ("Müşteri hizmetleri saatleriniz nedir?", "faq", None),
        ("Almanya'ya gönderim yapıyor musunuz?", "question", None),
        ("Kampanyadaki kedi tam benim 😂", "joke", None),
        ("Avukatımla görüştüm, sizi mahkemeye vereceğim", "escalation", "escalation"),
        ("Yeni mağazanızın önünden geçtim bugün", "other", None),
    ],
)
def test_each_case_in_turkish(text, case, flag):
    d = decision(text)
    assert analyze(text, PLAYBOOK).language == "tr"
    assert d.case == case
    if flag:
        assert flag in d.flags


def test_thread_thanks_after_a_fix_is_a_turnaround_and_still_broken_a_follow_up():
    thread = [
        {"role": "customer", "text": "Uygulama açılmıyor"},
        {"role": "brand", "text": "Uygulamayı silip yeniden yüklemeyi dener misiniz?"},
    ]
    assert decision("Oldu, çok teşekkürler!", thread).case == "turnaround"
    d = decision("Denedim ama hâlâ çalışmıyor", thread)
    assert d.intent == "complaint" and "follow_up" in d.flags
    asked = [
        {"role": "customer", "text": "Faturam yanlış geldi"},
        {"role": "brand", "text": "Hangi ayın faturası olduğunu yazar mısınız?"},
    ]
    assert "answers_brand" in decision("Mart ayının faturası", asked).flags


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("Amk şirketi, hepiniz şerefsizsiniz", "moderate"),
        ("Siktir git", "moderate"),
        ("Salak mısınız siz, yuh", "moderate"),
    ],
)
def test_abuse_with_no_problem_is_not_answered(text, action):
    d = decision(text)
    assert d.intent == "troll" and d.action == action
    assert reply(text).public_reply is None


def test_rude_but_specific_and_an_insult_received_are_answered():
    rude = decision("Salak kuryeniz paketimi kapının önüne atıp gitmiş, kutu ezilmiş")
    assert rude.intent == "complaint" and "angry" in rude.flags
    reported = decision("Temsilciniz bana bağırdı ve telefonu yüzüme kapattı")
    assert reported.intent == "complaint" and reported.action == "reply"


def test_hazards_escalate_and_figures_of_speech_do_not():
    assert decision("Yemeğin içinden cam parçası çıktı").action == "escalate"
    assert decision("Verilerimi sızdırdınız, KVKK ihlali bu").action == "escalate"
    assert decision("Sinirden patlayacağım, internet yine gitti").action == "reply"
    # The customer's own hacked account is a complaint answered in private, no escalation.
    hacked = decision("Hesabım hacklendi, biri şifremi değiştirmiş")
    assert hacked.action == "reply" and hacked.private


def test_a_complaint_is_answered_natively_by_name_apologises_and_signs():
    r = reply(
        "Siparişim hâlâ gelmedi, iki haftadır bekliyorum", name="Ayşe Yılmaz", agent="Mia Koski"
    )
    assert r.language == "tr" and r.case == "complaint"
    public = r.public_reply
    assert public.startswith(("Merhaba Ayşe", "Merhabalar Ayşe", "İyi günler Ayşe", "Selam"))
    assert "Ayşe" in public and APOLOGY.search(public)
    assert "siparişiniz" in public or "bu" in public  # the customer's order named back as theirs
    assert "DM" in public and public.endswith("^MK")
    assert not ENGLISH.search(public)
    assert r.private_reply and "sipariş numaranız" in r.private_reply
    assert not ENGLISH.search(r.private_reply)
    assert not [f for f in r.lint if f.level in ("warning", "error")]


@pytest.mark.parametrize(
    "text",
    [
        "Mağazadaki çalışanlar çok nazikti ama kartımdan iki kez ücret çekildi",
        "İade edilemez biletim için ücret iadesi istiyorum, hemen",
        "Yeni mağaza düzeni harika olmuş, emeği geçenlerin eline sağlık!",
        "Teşekkürler, birkaç dakikada çözdünüz!",
        "Çalışma saatleriniz nedir?",
        "Norveç'e gönderim yapıyor musunuz?",
        "Reklamınızdaki keçi resmen benim ruh hayvanım 😂",
        "Avukatım bu konuyla ilgili sizinle iletişime geçecek",
        "Yeni vitrininizi az önce gördüm",
    ],
)
@pytest.mark.parametrize("variant", [1, 2, 3])
def test_every_case_reads_as_turkish_on_a_short_channel(text, variant):
    r = reply(text, name="Dana", channel="x", variant=variant)
    assert r.public_reply and len(r.public_reply) <= 280
    assert not ENGLISH.search(r.public_reply), r.public_reply
    assert r.public_reply.endswith("– Destek Ekibi")
    assert not [f for f in r.lint if f.level in ("warning", "error")], r.lint


def test_an_incident_reply_says_others_reported_it_and_the_team_signs():
    r = reply("Uygulama yine çöktü, giriş yapamıyorum", pattern=INCIDENT)
    assert r.case == "incident"
    assert (
        "birkaç" in r.public_reply or "başkaları" in r.public_reply or "tek kişi" in r.public_reply
    )
    assert r.public_reply.endswith("– Destek Ekibi")


def test_refusal_offers_two_alternatives():
    r = reply("İade edilemez biletim için ücret iadesi istiyorum", channel="facebook")
    assert r.case == "refusal"
    offered = [
        "sonraki siparişinizde geçerli tam tutarda bakiye",
        "başka bir tarihe ya da ürüne ücretsiz geçiş",
    ]
    assert all(option in r.public_reply for option in offered)


@pytest.mark.parametrize(
    ("text", "rule", "comment"),
    [
        ("Hesap numaranızı ve şifrenizi buraya yazar mısınız?", "private-data-in-public", None),
        ("Daha önce de söylediğimiz gibi koşulları okumalıydınız.", "blames-customer", None),
        ("Lütfen sakin olun, inceliyoruz.", "calm-down", None),
        ("Değerli müşterimiz, talebiniz ilgili birime iletilmiştir.", "bot-voice", None),
        ("Bu bir daha asla yaşanmayacak, söz veriyoruz.", "over-promise", None),
        ("Yorumunuz silinecek.", "talks-of-deleting", None),
        (
            "Merhaba, sipariş numaranızı DM'den iletin.",
            "complaint-without-apology",
            "Siparişim hâlâ gelmedi",
        ),
        (
            "Haha, bavulunuz gezmeye çıkmış 😂 DM atın.",
            "joke-on-a-complaint",
            "Bavulumu yine kaybettiniz",
        ),
    ],
)
def test_lint_fires_in_turkish(text, rule, comment):
    found = {f.rule for f in lint(text, PLAYBOOK, comment=comment)}
    assert rule in found


def test_lint_passes_a_good_turkish_reply():
    good = "Merhaba Dana, siparişiniz için çok üzgünüz. Bize DM yoluyla yazın, takip edelim. ^MK"
    found = lint(good, PLAYBOOK, comment="Siparişim hâlâ gelmedi", name="Dana")
    assert not [f for f in found if f.level in ("warning", "error")], found


# Classes of misreading, each with sentences of its own (none from the bench sets).
@pytest.mark.parametrize(
    "text",
    [
        "Mülteci çalıştıran marketten ekmek almam, hepsini ülkelerine geri gönderin",
        "Göçmen istemiyoruz, geldiğiniz yere dönün",
        "Suriyeliler bu ülkeden defolsun",
        "Pis suriyeliler her yeri doldurdu, sınır dışı edin",
    ],
)
def test_hate_against_a_group_is_moderated(text):
    d = decision(text)
    assert (d.intent, d.action) == ("troll", "moderate"), d
    assert reply(text).public_reply is None


@pytest.mark.parametrize(
    "text",
    ["Rezilsiniz", "Çok kötüsünüz ya", "Beceriksizsiniz", "Yazıklar olsun size", "Rezil firma"],
)
def test_rude_and_vague_is_skipped(text):
    d = decision(text)
    assert (d.intent, d.action) == ("troll", "skip"), d


@pytest.mark.parametrize(
    "text",
    [
        "Berbatsınız, kargom on gündür yolda",
        "Rezil firma, aldığım saat kırık geldi",
    ],
)
def test_rude_with_a_problem_is_still_a_complaint(text):
    d = decision(text)
    assert (d.intent, d.action) == ("complaint", "reply"), d


@pytest.mark.parametrize(
    "text",
    [
        "Dört gündür internetimiz kesik, kimse bir şey yapmıyor",
        "Aldığım kulaklık iki haftada çalışmayı bıraktı",
        "Televizyondan ses gelmiyor",
        "Servis garantiye almadılar, ekran kendiliğinden çatladı",
        "Yarın arayacağız dediniz, kimse geri aramadı",
        "40 dakikadır bekleme müziği dinliyorum, çıldırmak üzereyim",
        "Ayranı yine göndermemişsiniz, ikinci kez oluyor",
        "Kartımın limitini sebepsiz düşürmüşsünüz, kimse açıklama yapmıyor",
    ],
)
def test_everyday_complaints_are_complaints(text):
    d = decision(text)
    assert (d.intent, d.action) == ("complaint", "reply"), d


@pytest.mark.parametrize(
    "text",
    [
        "Mantının içinden saç çıktı",
        "Pilavda sinek vardı",
        "Tavuk dürüm yedikten sonra bütün gece kustuk",
        "Ütüden duman çıkmaya başladı, yanık kokusu her yeri sardı",
        "Kettle'ın fişi prizde eridi",
        "Servis sırasında çay döküldü, kolum yandı",
        "Market girişinde ıslak zeminde kaydım düştüm",
    ],
)
def test_everyday_hazards_escalate(text):
    assert decision(text).action == "escalate"


@pytest.mark.parametrize(
    "text",
    [
        "Yarım saattir hattayım, patlamak üzereyim",
        "Kampanyanızı görünce gülmekten kırıldım 😂",
    ],
)
def test_figures_of_speech_are_not_safety(text):
    assert decision(text).action != "escalate"


@pytest.mark.parametrize(
    "text",
    [
        "Baklavanız yüzünden diyetim yine pazartesiye kaldı, suç sizde 😅",
        "Sizin kahveler yüzünden maaşım bitti, sorumlusu sizsiniz 😂",
    ],
)
def test_playful_blame_is_a_joke(text):
    assert decision(text).intent == "joke"


@pytest.mark.parametrize(
    "text",
    ["Yeni reklamınızı gördünüz mü? Bir bakın", "Dünkü maçı izlediniz mi?", "Nasılsınız bugün?"],
)
def test_asking_the_brand_for_nothing_is_other(text):
    assert decision(text).intent == "other"


def test_a_real_question_after_small_talk_is_still_a_question():
    assert decision("Merhaba nasılsınız, Almanya'ya gönderim yapıyor musunuz?").intent == "question"


@pytest.mark.parametrize("variant", [1, 2, 3])
def test_turkish_greetings_never_end_in_a_dash(variant):
    for text in ("Siparişim hâlâ gelmedi", "Ürünün içinden cam çıktı", "Teşekkürler, çözdünüz!"):
        for name in (None, "Dana"):
            public = reply(text, name=name, variant=variant).public_reply
            assert public and not re.match(r"^\S+(?: \S+)? -", public), public


@pytest.mark.parametrize(
    "text",
    [
        "Bravo, 'teslim edildi' yazıyor ama hiç gelmeyen siparişim için tebrikler. Harika hizmet",
        "Kaybolan valizim için çok teşekkürler, eksik olmayın",
        "Uçuşumu son dakikada iptal ettiniz, helal olsun, mükemmel hizmet",
        "Tebrikler, yine rötar yaptınız",
        "İki saat bekleten çağrı merkeziniz için sağ olun",
    ],
)
def test_ironic_congratulations_for_a_failure_are_sarcastic_and_never_thanked(text):
    d = decision(text)
    assert d.intent == "complaint" and "sarcastic" in d.flags and "mixed" not in d.flags
    r = reply(text, name="Dana", channel="facebook")
    assert "sözleriniz" not in r.public_reply and "iltifat" not in r.public_reply


@pytest.mark.parametrize(
    "text",
    [
        "Bugün çalışanlarınız harikaydı, tebrikler",
        "Tebrikler, muhteşem hizmet!",
        "Çok sağ olun, eksik olmayın",
        "Kaybolan kargomu bulduğunuz için teşekkürler",
    ],
)
def test_genuine_congratulations_are_not_sarcasm(text):
    d = decision(text)
    assert d.intent == "praise" and "sarcastic" not in d.flags


@pytest.mark.parametrize(
    "text",
    [
        "Personeliniz çok güler yüzlü ama raftaki fiyat kasada farklı çıktı",
        "Mağazanız tertemiz, fakat kasada yanlış fiyat okuttular",
        "Ürünleriniz harika ama kartımdan 80 TL fazla çekildi",
        "Kasiyer çok nazikti ama para üstünü eksik verdi",
    ],
)
def test_praise_beside_a_price_or_charge_mismatch_is_a_complaint(text):
    d = decision(text)
    assert d.intent == "complaint"


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        (
            "İade süresi geçti diye ücret iadesi yapmıyorsunuz, paramı geri istiyorum",
            "ücret iadesi",
        ),
        ("Rötar yüzünden toplantımı kaçırdım, tazminat istiyorum", "tazminat"),
    ],
)
@pytest.mark.parametrize("variant", [1, 2])
@pytest.mark.parametrize("name", ["Ece", "Muhammed Ali"])
def test_a_refusal_on_x_keeps_the_request_and_two_alternatives(text, asked, variant, name):
    r = reply(text, name=name, channel="x", agent="Mia Koski", variant=variant)
    assert r.case == "refusal"
    public = r.public_reply
    assert len(public) <= 280
    assert asked in public
    a, b = PLAYBOOK.get("cannot_grant")[r.analysis.refusal]["alternatives"]["tr"][:2]
    assert f"{a} ya da {b}." in public, public
    assert not [f for f in r.lint if f.level in ("warning", "error")], r.lint


@pytest.mark.parametrize(
    "text",
    [
        "Uygulamada başka bir müşterinin adı, adresi ve kart bilgileri görünüyor",
        "Hesabıma girince başkasının siparişlerini görüyorum",
        "Başka birinin hesabını görüyorum, bu nasıl güvenlik",
        "Kişisel verilerim sızdırılmış, sizden başka kimsede yoktu",
        "Faturamda başka bir müşterinin telefon numarası yazıyor",
    ],
)
def test_another_customers_data_shown_or_data_leaked_escalates(text):
    d = decision(text)
    assert d.action == "escalate" and "escalation" in d.flags


@pytest.mark.parametrize(
    "text",
    ["Kargom başkasının adresine gitmiş", "Hesabıma başkası girmiş, şifremi değiştirmişler"],
)
def test_own_mix_ups_and_hacked_accounts_are_complaints_not_breaches(text):
    d = decision(text)
    assert d.intent == "complaint" and d.action == "reply"


@pytest.mark.parametrize(
    "text",
    [
        "İadem sonunda hesabıma geçti, teşekkürler",
        "Sorunum çözülmüş, sağ olun",
        "İnternetim geldi, ilginiz için teşekkürler",
        "Halletmişsiniz, eline sağlık",
    ],
)
def test_thanks_after_a_fix_is_a_turnaround(text):
    d = decision(text)
    assert d.case == "turnaround" and "turnaround" in d.flags
    r = reply(text, name="Dana")
    assert "sevin" in r.public_reply


def test_a_refund_that_came_short_is_no_turnaround():
    assert decision("İadem yattı ama eksik yattı").intent == "complaint"


@pytest.mark.parametrize(
    "text", ["Ürün kırılmış geldi", "Şişe sızdırıyor, her yer yağ oldu", "Kutudan çatlak çıktı"]
)
def test_a_damaged_product_is_named_with_whole_words(text):
    r = reply(text, name="Dana", channel="facebook")
    assert r.intent == "complaint"
    for broken in ("sızdırıyor ürün", "akıtıyor ürün", "kırılmış ürün", "geldi ürün"):
        assert broken not in r.public_reply
    assert r.analysis.topic == "product"


def test_a_defective_item_is_no_insult():
    d = decision("Aldığım ceket defolu çıktı, değişim istiyorum")
    assert d.intent == "complaint" and "angry" not in d.flags


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Servis çok yavaştı.", "complaint"),
        ("İnternet yavaş, yine bağlanamıyorum", "complaint"),
        # "yavaş yavaş" is "little by little", not a complaint about speed.
        ("Yavaş yavaş alışıyorum, güzel uygulama", "other"),
    ],
)
def test_slow_is_a_complaint_but_little_by_little_is_not(text, intent):
    assert decision(text).intent == intent


# Misreadings found by writing new Turkish comments, one class per test (the sentences are
# this file's own).
@pytest.mark.parametrize(
    "text",
    [
        "Faturama benim onaylamadığım bir ek paket ücreti yansımış",
        "Kurye paketi zili bile çalmadan kapının önüne bırakıp gitmiş, kutu ıslanmış",
        "Aldığım ayakkabının tabanı bir haftada ayrıldı",
        "Kartımdan 2 kere 349 TL çekilmiş, biri iade edilmedi",
        "Mağaza görevlisi yüzüme bakmadan cevap verdi, çok saygısızdı",
        "Yurtiçi Kargo'ya verilen paketim Ankara'da 5 gündür bekliyor",
        "Bir kargoyu teslim etmek bu kadar mı zor?",
        "İnsan bir e-postaya cevap vermez mi?",
        "Kaç kere aynı şeyi anlatacağım size?",
        "Çağrı merkezinde beklerken sinirden patlayacağım",
    ],
)
def test_plain_and_rhetorical_complaints_in_everyday_words(text):
    d = decision(text)
    assert (d.intent, d.action) == ("complaint", "reply"), d
    assert "escalation" not in d.flags


@pytest.mark.parametrize(
    "text",
    [
        "Kurye çok kibardı ama pizza buz gibi geldi",
        "Ürünleriniz gerçekten kaliteli, fakat iade sürecini çok uzattınız",
    ],
)
def test_kind_words_then_but_and_a_problem_are_mixed_not_sarcastic(text):
    d = decision(text)
    assert d.intent == "complaint" and "mixed" in d.flags and "sarcastic" not in d.flags, d


@pytest.mark.parametrize(
    "text",
    [
        "Teşekkürler kargo, paketimi ezip getirdiğiniz için",
        "Ne güzel bir gün, internet yine yok",
        "Süpersiniz ya, 2 haftadır iade bekliyorum 🙄",
    ],
)
def test_thanks_or_a_cheer_before_the_failure_is_sarcastic(text):
    d = decision(text)
    assert d.intent == "complaint" and "sarcastic" in d.flags, d


@pytest.mark.parametrize(
    "text",
    [
        "Süper, yine indirim var! Hemen sepete ekledim",
        "Harika, yine kazandım! Çekilişiniz için teşekkürler",
        "İki haftadır kullanıyorum, harika bir uygulama",
        "Teşekkürler, beni bilgilendirdiğiniz için",
    ],
)
def test_a_cheer_or_thanks_with_no_failure_is_no_sarcasm(text):
    d = decision(text)
    assert d.intent == "praise" and "sarcastic" not in d.flags, d


@pytest.mark.parametrize(
    "text",
    [
        "Kargo ertesi gün geldi, hiçbir sıkıntı olmadı, tavsiye ederim",
        "Yıllardır müşterinizim, hiç pişman olmadım",
        "Yıllardır bu bankayı kullanıyorum, bir kez bile sorun çıkmadı",
        "hic sorun yasamadim, gayet memnunum",
    ],
)
def test_a_problem_said_to_be_absent_is_praise(text):
    d = decision(text)
    assert (d.intent, d.action) == ("praise", "reply"), d
    assert "sarcastic" not in d.flags


@pytest.mark.parametrize("text", ["Berbat bir firmasınız", "Bu şirket tam bir rezalet", "Yuh size"])
def test_one_insult_for_the_company_with_words_between_is_skipped(text):
    d = decision(text)
    assert (d.intent, d.action) == ("troll", "skip"), d


def test_rude_with_a_wrong_item_sent_is_answered():
    d = decision("Salak mısınız, aynı ürünü üç kere yanlış gönderdiniz")
    assert (d.intent, d.action) == ("complaint", "reply") and "specific_problem" in d.flags, d
    public = reply("Salak mısınız, aynı ürünü üç kere yanlış gönderdiniz", name="Ece").public_reply
    assert "salak" not in public.casefold() and not ENGLISH.search(public)


@pytest.mark.parametrize(
    "text",
    [
        "Kasiyeriniz bana 'defol git' dedi, müdürle görüşmek istiyorum",
        "Müdürünüz bana 'sen kimsin ya' diye bağırdı",
        "Şubenizdeki çalışan herkesin önünde bana cahil dedi",
    ],
)
def test_an_insult_received_from_staff_is_a_complaint_never_moderated(text):
    d = decision(text)
    assert (d.intent, d.action) == ("complaint", "reply"), d
    public = reply(text, name="Ece").public_reply
    assert "defol" not in public.casefold() and "cahil" not in public.casefold()


def test_kind_words_quoted_from_staff_are_no_insult():
    assert decision("Kasiyer bana 'iyi günler' dedi, çok güler yüzlüydü").intent != "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "Yemekten sonra dudaklarım şişti, paketinde fıstık içermez yazıyordu",
        "Güvenlik görevliniz beni itip yere düşürdü",
        "Marketinizde raf üstüme devrildi, başım yarıldı",
        "yemekten cam parcasi cikti",
        "Şarj ederken telefonum aşırı ısınıp patladı",
        "Çocuğum oyuncağın küçük parçasını yuttu",
        "Kızımın yüzünde kızarıklık çıktı kremi sürünce",
        "Kargo aracı park halindeki arabama çarptı",
    ],
)
def test_hazards_in_the_customers_words_escalate(text):
    d = decision(text)
    assert d.action == "escalate" and "escalation" in d.flags, d


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Yeni kampanyanız ortalığı yaktı geçirdi, bomba gibi!", "praise"),
        ("Çocuğum yeni oyuncağa bayıldı", "praise"),
        ("Alerjim var, bu üründe fıstık var mı?", "question"),
    ],
)
def test_figures_of_speech_and_questions_about_allergens_never_escalate(text, intent):
    d = decision(text)
    assert (d.intent, d.action) == (intent, "reply"), d


@pytest.mark.parametrize(
    "text",
    [
        "Siparişimi teslim almadan önce iptal edebilir miyim?",
        "Kargo ne zaman gelir?",
        "Sipariş verdikten sonra adresimi değiştirebilir miyim?",
    ],
)
def test_asking_when_or_whether_it_can_be_changed_is_a_question(text):
    assert decision(text).intent == "question"


def test_a_playful_proposal_is_a_joke():
    assert decision("Maskotunuzla evlenmek istiyorum, ciddiyim 😄").intent == "joke"


def test_yes_to_the_brands_check_is_thanks_for_a_fix_and_no_is_a_follow_up():
    reset = [
        {"role": "customer", "text": "Şifremi sıfırlayamıyorum"},
        {"role": "brand", "text": "Şifrenizi sıfırladık, şimdi girebiliyor musunuz?"},
    ]
    assert decision("Evet, teşekkür ederim", reset).case == "turnaround"
    arrived = [
        {"role": "customer", "text": "Sipariş gelmedi"},
        {"role": "brand", "text": "Siparişiniz bugün elinize ulaştı mı?"},
    ]
    assert decision("Evet geldi, teşekkürler", arrived).case == "turnaround"
    d = decision("Yok, hâlâ aynı", arrived)
    assert d.intent == "complaint" and "follow_up" in d.flags, d
    # "Evet" only as the answer: not anywhere in a new message.
    assert decision("Yeni kampanya güzel olmuş, evet oldu bence").case != "turnaround"


def test_a_hacked_account_with_orders_in_the_customers_name_is_answered_in_private():
    text = "Hesabım çalındı, biri şifremi değiştirip benim adıma sipariş vermiş"
    a = analyze(text, PLAYBOOK)
    d = decide(a, PLAYBOOK)
    assert a.topic == "account-security" and (d.intent, d.action) == ("complaint", "reply")
    assert d.private


def test_a_newsroom_asking_for_comment_escalates():
    d = decision("Haberimiz için bu konuda şirketinizin görüşünü almak istiyoruz")
    assert d.action == "escalate", d


@pytest.mark.parametrize(
    "text",
    [
        "Pidenin içinden bir vida çıktı, dişim kırılacaktı",
        "Pilavın içinde küçük bir taş parçası vardı",
        "Salatada ince bir cam kırığı buldum",
        "Tostun arasından metal tel çıktı",
        "Raftan düşen şişe ayağıma geldi, tırnağım morardı",
        "Depodan düşen kutu oğluma çarptı",
        "Aldığım ısıtıcı fişe takınca kıvılcımlar saçtı",
        "Aldığım ütü kıvılcım atıyor, korkudan kullanamıyorum",
    ],
)
def test_a_hard_thing_in_food_a_falling_object_or_sparks_escalate(text):
    d = decision(text)
    assert d.action == "escalate" and d.intent == "complaint", d


@pytest.mark.parametrize(
    "text",
    [
        "Kargodan cam vazo çıktı, çok güzel paketlemişsiniz",
        "Kemik çorbası vardı menüde, çok lezzetliydi",
        "Fiyatı düşen ürünü kafama göre seçtim, çok memnunum",
        "Kıvılcım gibi bir kampanya olmuş, tebrikler",
        "Haberleri takip ediyorum, yeni şubeniz ne zaman açılıyor?",
        "Kutudan telefon çıktı ama kılıfı eksik",
    ],
)
def test_innocent_words_near_a_hazard_or_the_press_do_not_escalate(text):
    assert decision(text).action != "escalate"


def test_smoke_from_ones_own_head_is_anger_not_a_fire():
    d = decision("İki haftadır modem arızalı, kafamdan dumanlar çıkıyor artık")
    assert (d.intent, d.action) == ("complaint", "reply"), d
    assert decision("Şarj aleti prizdeyken duman çıkıyor").action == "escalate"


def test_a_reporter_at_work_and_another_customers_data_escalate():
    assert decision(
        "Sabah gazetesinde ekonomi haberleri yazıyorum, bir açıklama alabilir miyim?"
    ).action == ("escalate")
    d = decision("Hesabımda bambaşka birinin adresi ve telefon numarası görünüyor")
    assert d.action == "escalate" and d.intent == "complaint", d


@pytest.mark.parametrize(
    "text",
    [
        "Kürtlerle beraber kahrolun inşallah",
        "Suriyelilerle dolu mağazanız batsın emi",
    ],
)
def test_a_people_named_beside_a_curse_is_hate(text):
    d = decision(text)
    assert (d.intent, d.action) == ("troll", "moderate"), d


def test_a_wolf_is_not_a_people():
    assert decision("Kurt gibi acıktım, siparişim yolda mı?").intent != "troll"


@pytest.mark.parametrize(
    "text",
    [
        "Ne biçim firmasınız ya, tam bir rezalet",
        "Nasıl bir şirketsiniz, berbatsınız resmen",
    ],
)
def test_stacked_insults_of_the_company_with_nothing_named_are_skipped(text):
    d = decision(text)
    assert (d.intent, d.action) == ("troll", "skip"), d


def test_a_rude_message_that_names_its_thing_is_still_answered():
    d = decision("Ne biçim firmasınız, rezalet, kargom 12 gündür depoda bekliyor")
    assert (d.intent, d.action) == ("complaint", "reply"), d


def test_a_time_span_then_ancak_is_a_complaint_and_no_contrast():
    d = decision("Harika hizmet, siparişim 12 günde anca yola çıktı")
    assert d.intent == "complaint" and "sarcastic" in d.flags, d
    assert decision("Bu ne hız, sipariş 15 dakikada kapımdaydı 😍").intent == "praise"


def test_a_delay_beside_glowing_words_is_irony():
    d = decision("Seferimizin 5 saat rötar yapması muhteşemdi, terminalde gün doğumunu izledik 👏")
    assert d.intent == "complaint" and "sarcastic" in d.flags, d


def test_compensation_asked_for_in_other_words_gets_two_alternatives():
    d = decision("Bagajım iki gün gecikti, masraflarım için tazminat ödemenizi bekliyorum")
    assert d.case == "refusal", d


def test_a_fix_by_someone_else_or_thanks_for_the_care_is_a_turnaround():
    assert (
        decision("Kurye yeni ürünü getirdi, değişimi hemen halletti. Sağ olun").case == "turnaround"
    )
    assert decision("Dün yazmıştım, modemi uzaktan düzelttiler. Yardımınız için sağolun").case == (
        "turnaround"
    )
    assert decision("Teknisyen geldi ama sorunu çözmedi").intent == "complaint"


def test_a_slip_told_in_the_evidential_is_the_customers_own_mistake():
    d = decision("Siparişte yanlış bedeni seçmişim, değişim için ne yapmalıyım?")
    assert "customer_mistake" in d.flags and d.intent == "complaint", d
    r = reply("Bilette doğum tarihimi yanlış girmişim, uçuşa sorun olur mu?", name="Ece")
    assert "almanız gereken hizmet değil" not in (r.public_reply or "")


def test_which_number_to_call_is_the_contact_question():
    assert decision("Canlı desteğe bağlanmak için hangi numarayı arayabilirim?").case == "faq"


def test_easy_to_use_is_praise():
    assert (
        decision("Yeni uygulama gayet kullanışlı olmuş, ödeme 30 saniyede bitti").intent == "praise"
    )


def test_a_word_typed_without_turkish_letters_is_named_back_spelt_right():
    r = reply("odememi yaptim ama hala borclu gorunuyorum, odeme nerede", name="Can")
    assert "ödeme" in (r.public_reply or ""), r.public_reply
    assert "odeme" not in (r.public_reply or "")
    r = reply("ucusum iptal oldu, kimse bilgi vermedi", name="Can")
    assert "uçuş" in (r.public_reply or "") and "ucus" not in (r.public_reply or ""), r.public_reply


def test_a_safety_escalation_wishes_them_well_first():
    r = reply("Mağazada raftan düşen kavanoz kızıma geldi, kaşı yarıldı", name="Deniz")
    assert r.decision.action == "escalate"
    assert "geçmiş olsun" in (r.public_reply or ""), r.public_reply
    legal = reply("Avukatıma ilettim, dava açacağım", name="Deniz")
    assert "geçmiş olsun" not in (legal.public_reply or "")


@pytest.mark.parametrize(
    "text",
    [
        "Hediye paketi yapılmadı, kartta yazdığım not da eklenmedi",
        "Yeni aldığım klima soğutmuyor",
        "Kasadaki cihaz kartımı okumuyor",
        "Uygulamadan bilet alamıyorum, ödeme adımında takılıyor",
        "Koltuklar kirliydi, tuvalet de bozuktu",
        "Elbise bir beden büyük geldi",
        "Sepetteki ürünün fiyatı ödeme sayfasında değişti",
        "Kurulum için ayrıca ücret istediler",
        "Doğalgaz faturam bu kış 3 katı geldi",
        "Kartım yurtdışında bloke oldu, hiçbir yerde geçmiyor",
        "Modem gece boyunca kendi kendine resetleniyor",
        "Rezervasyonum iptal oldu şimdi ne yapmalıyım",
        "Havale yaptım, iadem hesabıma hâlâ geçmedi",
        "Hediye çekim kasada geçersiz çıktı",
    ],
)
def test_a_failure_said_with_the_verb_negated_or_in_other_everyday_words_is_a_complaint(text):
    d = decision(text)
    assert (d.intent, d.action) == ("complaint", "reply"), d


@pytest.mark.parametrize(
    "text",
    [
        "Yıllardır kullanıyorum, hiç bozulmuyor",
        "Bu kadar çabuk gelmesini beklemiyordum, süpersiniz",
        "Oyun oynarken hiç kasmıyor, çok memnunum",
        "Kahvenizden vazgeçemiyorum, her sabah oradayım",
    ],
)
def test_a_fault_that_never_happens_or_a_habit_is_praise(text):
    assert decision(text).intent == "praise"


def test_dont_you_do_x_asked_of_the_brand_is_a_question():
    assert decision("Hafta sonu kurulum yapmıyor musunuz?").intent == "question"


def test_a_problem_told_as_written_before_is_the_story_of_a_fix():
    d = decision("Faturam hatalı diye yazmıştım, bugün düzelttiniz, sağ olun")
    assert d.case == "turnaround", d
    d = decision("Kargom gelmedi diye dün yazmıştım, hâlâ ses yok")
    assert d.intent == "complaint", d


def test_the_customers_own_word_listed_whole_is_named_theirs():
    r = reply("Hattım 2 gündür kapalı, kimse bilgi vermiyor", name="Ece", channel="x")
    assert "hattım" not in (r.public_reply or "") and "hattınız" in (r.public_reply or ""), r
    r = reply("Seferim haber verilmeden iptal edilmiş", name="Ece", channel="x")
    assert "seferim" not in (r.public_reply or ""), r.public_reply


@pytest.mark.parametrize(
    "text",
    [
        "Süper, paketim yine yanlış şubeye gönderilmiş 👏",
        "Çağrı merkezinin 50 dakika bekletmesi muhteşem, sabır sınavı resmen",
        "Harika hizmet, faturama yine tanımadığım ek paket eklenmiş",
        "Oh ne güzel, 4 gündür evde sinyal yok",
    ],
)
def test_cheers_about_a_failure_are_irony(text):
    d = decision(text)
    assert d.intent == "complaint" and "sarcastic" in d.flags, d


def test_a_cheer_then_loyalty_is_no_irony():
    assert decision("Harika, 3 gündür kullanıyorum, çok memnunum").intent == "praise"


@pytest.mark.parametrize(
    "text",
    [
        "Resepsiyon ilgiliydi fakat odadaki televizyon çalışmıyordu",
        "Yolculuk keyifliydi, kabin ekibi harikaydı ancak valizim hasar görmüş",
    ],
)
def test_kind_words_then_a_fault_are_mixed(text):
    d = decision(text)
    assert d.intent == "complaint" and "sarcastic" not in d.flags, d


def test_a_curse_on_the_company_with_nothing_named_is_skipped():
    d = decision("Böyle banka olmaz olsun")
    assert (d.intent, d.action) == ("troll", "skip"), d


def test_a_short_answer_in_a_turkish_thread_is_answered_in_turkish():
    thread = [
        {"role": "customer", "text": "Siparişimde ürün eksik çıktı"},
        {"role": "brand", "text": "Çok üzgünüz! Hangi ürün eksik, yazabilir misiniz?"},
    ]
    r = reply("Şampuan eksik", context=thread, name="Ece")
    assert r.analysis.language == "tr", r.analysis.language
    assert not ENGLISH.search(r.public_reply or ""), r.public_reply


@pytest.mark.parametrize(
    "text",
    [
        "Asansörün kapısında oğlumun eli sıkıştı",
        "Müşteri bilgileriniz forumlarda paylaşılıyor, benim telefonum da listede",
    ],
)
def test_a_caught_hand_or_shared_customer_data_escalates(text):
    assert decision(text).action == "escalate"


def test_a_part_of_a_thing_that_broke_is_no_injury():
    assert decision("Sandalyenin kolu iki haftada kırıldı").action == "reply"


def test_asking_how_many_hours_is_a_question():
    assert decision("Bagaj teslimi kalkıştan kaç saat önce kapanıyor?").intent == "question"


def test_a_reporters_story_is_a_question_and_a_customers_demand_for_an_answer_a_complaint():
    d = decision(
        "Bir haber sitesinde çalışıyorum, iade gecikmeleri hakkında haber hazırlıyorum, "
        "yorum alabilir miyim?"
    )
    assert (d.intent, d.action) == ("question", "escalate"), d
    d = decision("Faturadaki hatayla ilgili bir açıklama bekliyorum, üç aydır düzeltilmedi")
    assert (d.intent, d.action) == ("complaint", "reply"), d


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("ucagim 3 saat rotar yapti, kimse bilgi vermedi", "uçağınız"),
        ("hesabimi kimse acmiyor, giremiyorum", "hesabınız"),
        ("Seferim haber verilmeden iptal edilmiş", "seferiniz"),
        ("Gönderilerim 3 gündür depoda bekliyor", "gönderileriniz"),
    ],
)
def test_the_customers_thing_is_named_theirs_in_the_right_harmony(text, named):
    r = reply(text, name="Ece", channel="x")
    assert named in (r.public_reply or ""), r.public_reply


@pytest.mark.parametrize(
    "text",
    [
        # a discrepancy told plainly: it says one thing, another was taken
        "Kampanya sayfasında 3 ay ücretsiz yazıyor ama ilk ay 149 TL'yi kartımdan çektiniz",
        # the status still says the same
        "Başvurum 12 gündür hâlâ 'değerlendiriliyor' görünüyor",
        # the brand's own promise held up
        "Yarın sabah teknisyen gelir dediniz, akşam oldu kimse yok",
        # "you didn't" said to the brand
        "Tarifemi değiştirdiniz ama bana tek bir SMS ile bile haber vermediniz",
        # a parcel sent round the country
        "Kolimi Adana yerine önce Mersin'e sonra Hatay'a gezdirmişsiniz",
        # an angry rhetorical question with no complaint word
        "Kaç gün daha bekleyeceğim, bir kurulum randevusu vermek bu kadar mı zor?",
    ],
)
def test_a_problem_told_without_a_complaint_word_is_a_complaint(text):
    assert decision(text).intent == "complaint"


def test_a_fee_taken_said_to_the_brand_beside_a_cheer_is_a_complaint():
    d = decision("Ne hoş, her ay hesabımdan 30 TL bakım ücreti kesiyorsunuz")
    assert d.intent == "complaint"


def test_an_insult_from_staff_told_with_the_staff_named_the_compound_way_is_a_complaint():
    d = decision("Şube çalışanı herkesin önünde bana 'cahil' dedi, çok utandım")
    assert (d.intent, d.action) == ("complaint", "reply")
    assert "specific_problem" in d.flags


@pytest.mark.parametrize(
    "text",
    [
        "Oğlumun dudakları şişti, etiketinde süt içermez yazıyordu, şimdi acildeyiz",
        "Kulaklığın şarj kutusu çantamda şişip duman çıkarmaya başladı",
        "Kiraladığım bisikletin freni tutmadı, yere düştüm, bileğim alçıya alındı",
        "Marketin ıslak zemininde ayağım kaydı, belim incindi",
    ],
)
def test_a_hazard_told_in_other_everyday_words_escalates(text):
    d = decision(text)
    assert (d.intent, d.action) == ("complaint", "escalate")


@pytest.mark.parametrize(
    "text",
    [
        "Yoğurdun içinden cam kırığı çıktı, bunun hesabını kim verecek?",
        "Üye bilgileriniz bir sitede satılıyormuş, ne zaman açıklama yapacaksınız?",
    ],
)
def test_a_hazard_or_a_leak_asked_as_a_question_is_still_a_complaint(text):
    d = decision(text)
    assert (d.intent, d.action) == ("complaint", "escalate")


def test_a_newsroom_named_with_the_writers_role_is_press():
    d = decision(
        "Merhaba, yerel bir haber portalında muhabirim, dünkü su kesintisi için görüşünüzü"
        " alabilir miyiz?"
    )
    assert (d.intent, d.action) == ("question", "escalate")


@pytest.mark.parametrize(
    "text",
    [
        "Hafta sonu kurye teslimatı yapıyor musunuz?",
        "Sipariş gelmezse param iade ediliyor mu?",
        "Arıza hattının numarası ne, sitede bulamadım",
        "Kargo iadesi için şubeye mi gitmem gerekiyor? Şimdiden teşekkürler",
    ],
)
def test_a_question_with_problem_words_that_are_not_a_problem_is_a_question(text):
    assert decision(text).intent == "question"


def test_moving_a_booking_to_another_day_is_a_request():
    d = decision("Otel rezervasyonumu bir gün ileri almak mümkün mü?")
    assert d.intent == "question"
    assert "request" in d.flags


def test_cant_help_going_back_for_it_is_praise():
    assert decision("Fırınınızın simidi nefis, her sabah almadan duramıyorum").intent == "praise"


@pytest.mark.parametrize("text", ["Kapatın bu dükkanı artık", "Boş yapmayın, hepiniz aynısınız"])
def test_a_vague_rant_is_skipped(text):
    d = decision(text)
    assert (d.intent, d.action) == ("troll", "skip")


def test_bought_online_and_coins_name_no_line_and_no_broken_thing():
    d = decision("İnternetten aldığım ceketin iadesini bir aydır yapmadınız")
    assert d.intent == "complaint"
    assert d.evidence.get("specific_problem") != "internetten"
    coins = analyze("Kasada bozuk yok diyerek para üstümü eksik verdiler", PLAYBOOK)
    assert coins.topic == "billing"


def test_a_follow_up_with_no_named_problem_reads_whole():
    for variant in range(1, 5):
        drafted = reply(
            "Bu ay faturamda 80 TL yazıyor ama 140 TL ödedim", agent="Ece Kaya", variant=variant
        )
        private = drafted.private_reply or ""
        assert "mesajınız konusunu" not in private
