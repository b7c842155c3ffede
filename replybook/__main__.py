"""python -m replybook"""

from .cli import main

main()
