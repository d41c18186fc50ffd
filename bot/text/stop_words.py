"""Stop words for keyword search: sumy's lists, plus the function words some of them lack.

Number words, ordinals and a few words that name things ("new", "old",
"value") are on sumy's English list but are what a question may hinge on
("the first Super Bowl", "New York"): search keeps them.

Summaries keep sumy's lists exactly (their picks must match sumy's). Search
only needs to ignore words that carry no meaning, and sumy's Spanish list, for
one, lacks its language's commonest words ("de", "que", "y", "a"); a question
in Spanish would otherwise match every sentence with "de" in it. The words
added here are articles, prepositions, conjunctions, pronouns and question
words only.
"""

from __future__ import annotations

from functools import cache

from bot.text.stemmers import stop_words_for

__all__ = ["search_stop_words"]

_MISSING = {
    "spanish": """
        a al algo ante cómo con contra cuál cuáles cuándo cuánta cuánto de del donde dónde
        durante e el él ella ellas ellos en entre era es esa esas ese eso esos esta estas
        este esto estos fue ha había han hasta hay la las le les lo los me mi mí mía mías mío
        míos mis mucho muy nada ni no nos nosotras nosotros nuestra nuestras nuestro nuestros
        o os otra otras otro otros para pero poco por porque qué que quien quién quienes
        quiénes se sí sin sobre son su sus suya suyas suyo suyos también tanto te ti tu tú
        tus tuya tuyas tuyo tuyos un una uno unos vuestra vuestras vuestro vuestros y ya yo
    """,
    "french": "de des du un une le la les et ou à au aux en dans par pour sur que qui",
    "portuguese": "não a o as os de do da dos das e em no na um uma que",
}


_KEPT = {
    "english": """
        zero one two three four five six seven eight nine once twice first second third
        fourth fifth last next former latter new old novel name value right best better far
        near serious course example help
    """,
}


@cache
def search_stop_words(language: str) -> frozenset[str]:
    """The words search ignores in ``language``: sumy's stop words and the missing ones."""
    added = frozenset(_MISSING.get(language, "").split())
    return (stop_words_for(language) | added) - frozenset(_KEPT.get(language, "").split())
