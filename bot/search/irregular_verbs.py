"""English irregular verbs: each past form and past participle, and its base form.

A stemmer cuts endings, so "won" and "win", "began" and "begin", "led" and
"lead" stay apart; a question asks "who won" of a text that says "the team
that won" or "they win". Search reads each form below as its base form before
stemming (English only).
"""

from __future__ import annotations

from typing import Final

__all__ = ["base_form"]

# base: past and participle forms (forms equal to the base, or regular, left out)
_VERBS: Final = """
arise arose arisen; awake awoke awoken; bear bore borne born; beat beaten; become became;
begin began begun; bend bent; bet; bind bound; bite bit bitten; bleed bled; blow blew blown;
break broke broken; breed bred; bring brought; build built; burn burnt; buy bought;
catch caught; choose chose chosen; cling clung; come came; creep crept; deal dealt;
dig dug; draw drew drawn; dream dreamt; drink drank drunk; drive drove driven; eat ate eaten;
fall fell fallen; feed fed; feel felt; fight fought; find found; flee fled; fly flew flown;
forbid forbade forbidden; forget forgot forgotten; forgive forgave forgiven; freeze froze frozen;
get got gotten; give gave given; go went gone; grind ground; grow grew grown; hang hung;
have had; hear heard; hide hid hidden; hold held; keep kept; kneel knelt; know knew known;
lay laid; lead led; lean leant; leap leapt; learn learnt; leave left; lend lent; lie lay lain;
light lit; lose lost; make made; mean meant; meet met; overcome overcame; pay paid;
prove proven; ride rode ridden; ring rang rung; rise rose risen; run ran; say said; see saw seen;
seek sought; sell sold; send sent; shake shook shaken; shine shone; shoot shot; show shown;
shrink shrank shrunk; sing sang sung; sink sank sunk; sit sat; sleep slept; slide slid;
speak spoke spoken; speed sped; spend spent; spin spun; spring sprang sprung; stand stood;
steal stole stolen; stick stuck; sting stung; strike struck stricken; strive strove striven;
swear swore sworn; sweep swept; swim swam swum; swing swung; take took taken; teach taught;
tear tore torn; tell told; think thought; throw threw thrown; undergo underwent undergone;
understand understood; undertake undertook undertaken; wake woke woken; wear wore worn;
weave wove woven; weep wept; win won; wind wound; withdraw withdrew withdrawn; write wrote written;
overtake overtook overtaken; overthrow overthrew overthrown; foresee foresaw foreseen;
forsee; mislead misled; outgrow outgrew outgrown; rebuild rebuilt; retell retold;
uphold upheld; withhold withheld; arise; shoot; sew sewn; sow sown; slay slew slain;
tread trod trodden; beget begot begotten; bid; forecast; broadcast; spread; split; quit
"""

_BASE: Final = {
    form: forms[0] for line in _VERBS.split(";") if (forms := line.split()) for form in forms[1:]
}
# Forms that are also common words of their own: left as they are.
for _word in ("found", "ground", "bound", "wound", "left", "lay", "saw", "fell", "lit", "born"):
    _BASE.pop(_word, None)


def base_form(word: str) -> str:
    """The base form of an irregular past form (``won`` is ``win``), else ``word``."""
    return _BASE.get(word, word)
