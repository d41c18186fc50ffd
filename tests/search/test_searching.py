"""Questions: every word and number searchable, ranked with the sentence's paragraph."""

from __future__ import annotations

import pytest

from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.replies import Kind, Quote, Reply
from bot.chat.requests import Request
from bot.chat.routing import handle
from bot.search.answer_kinds import AnswerKind, asked_kind
from bot.search.words import TOKEN, SearchWords
from bot.text.parsing import parse_text
from bot.text.tokenizer import Tokenizer
from tests.libraries import single

REVENUE = "With second-quarter revenues soaring to $11 billion"
STRIKES = "The 2023 Hollywood strikes crystallized fears"


def ask(library: ChannelArticles, text: str) -> Reply:
    return handle(read_command(text), Request(channel="C1", user="U1"), library)


def quotes(library: ChannelArticles, text: str) -> tuple[Quote, ...]:
    reply = ask(library, text)
    assert reply.kind is Kind.ANSWER, reply
    return reply.blocks[0].quotes


def marked(quote: Quote) -> list[str]:
    return [span.text for span in quote.spans if span.marked]


def small(text: str, tokenizer: Tokenizer) -> ChannelArticles:
    return single(parse_text(text, tokenizer=tokenizer)).warm()


# -- on the bundled article ----------------------------------------------------------------


def test_a_year_finds_its_sentence(library: ChannelArticles) -> None:
    best = quotes(library, "/summary what happened in 2023")[0]
    assert best.text.startswith(STRIKES)
    assert marked(best) == ["2023"]


@pytest.mark.parametrize(
    ("question", "words"),
    [("16%", ["16"]), ("$11 billion", ["11", "billion"]), ("Squid Game", ["Squid", "Game"])],
)
def test_figures_and_names_find_the_revenue_sentence(
    library: ChannelArticles, question: str, words: list[str]
) -> None:
    best = quotes(library, question)[0]
    assert best.text.startswith(REVENUE)
    assert marked(best) == words


def test_a_bare_number_in_the_text_is_a_question(library: ChannelArticles) -> None:
    assert quotes(library, "2023")[0].text.startswith(STRIKES)
    assert ask(library, "2").kind is Kind.SECTION  # still a section when it is one
    assert ask(library, "section 2023").kind is Kind.ERROR  # asked as a section
    assert "sections 1 to 5" in ask(library, "1999").note  # no section, not in the text


def test_a_question_with_no_match_gets_the_note_and_the_sections(library: ChannelArticles) -> None:
    for text in ("1999 zebras", "$%", "-- 0.0.0 --", "U.S.", "49ers' gold-themed 5.4"):
        reply = ask(library, text)
        assert reply.kind is Kind.NOT_FOUND
        assert "Try other words" in reply.note
        assert "3. Labor Tensions and the Ethics of Innovation" in reply.plain_text()


def test_man_is_not_a_stem_of_a_name(tokenizer: Tokenizer) -> None:
    library = small(
        "Names\n"
        "Peyton Manning threw two passes in the game.\n"
        "A man in the crowd caught the ball.\n",
        tokenizer,
    )
    found = quotes(library, "man")
    assert [q.text for q in found] == ["A man in the crowd caught the ball."]
    assert quotes(library, "manning")[0].text.startswith("Peyton Manning")
    assert marked(quotes(library, "Manning's passes")[0]) == ["Manning", "passes"]


# -- on small texts ------------------------------------------------------------------------

TEAMS = (
    "Super Bowl\n"
    "The Super Bowl is the final game of the season.\n"
    "The Super Bowl game was played in February.\n"
    "Tickets for the Super Bowl game sold out quickly.\n"
    "The Denver Broncos won the title, beating the Carolina Panthers.\n"
    "Fans watched the Super Bowl game at home.\n"
    "Advertisers paid more for Super Bowl game slots.\n"
    "The Super Bowl halftime show drew a record audience.\n"
    "Each Super Bowl game is named with Roman numerals.\n"
    "Security at the Super Bowl stadium was tight.\n"
    "The 49ers and the U.S. Army band played a gold-themed show for the first time.\n"
    "One player was 39 years old; the average was 1,000 yards at 5.4 yards a carry.\n"
)


@pytest.fixture(scope="module")
def teams(tokenizer: Tokenizer) -> ChannelArticles:
    return small(TEAMS, tokenizer)


def test_the_rare_word_outweighs_the_frequent_ones(teams: ChannelArticles) -> None:
    best = quotes(teams, "Which team won the Super Bowl game?")[0]
    assert best.text.startswith("The Denver Broncos won")


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("49ers", ["49ers"]),
        ("U.S.", ["U.S."]),
        ("US army", ["U.S.", "Army"]),
        ("gold", ["gold"]),
        ("themed", ["themed"]),
        ("gold-themed", ["gold-themed"]),
        ("first time", ["first", "time"]),
    ],
)
def test_alphanumeric_acronym_hyphen_and_ordinal_words(
    teams: ChannelArticles, question: str, words: list[str]
) -> None:
    best = quotes(teams, question)[0]
    assert best.text.startswith("The 49ers and the U.S. Army")
    assert marked(best) == words


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("1000 yards", ["1,000", "yards", "yards"]),
        ("5.4", ["5.4"]),
        ("one player", ["One", "player"]),
    ],
)
def test_numbers_and_number_words(teams: ChannelArticles, question: str, words: list[str]) -> None:
    best = quotes(teams, question)[0]
    assert best.text.startswith("One player was 39")
    assert marked(best) == words


def test_a_sentence_saying_he_is_found_through_its_paragraph(tokenizer: Tokenizer) -> None:
    library = small(
        "Tesla\n"
        "Nikola Tesla arrived in New York in 1884. He soon worked for Thomas Edison.\n"
        "Many inventors worked in New York laboratories at the time.\n",
        tokenizer,
    )
    found = [q.text for q in quotes(library, "Who did Nikola Tesla work for in New York?")]
    # Its paragraph names Tesla and New York: it outranks a sentence that shares more words.
    assert found.index("He soon worked for Thomas Edison.") < found.index(
        "Many inventors worked in New York laboratories at the time."
    )


def test_the_kind_of_answer_asked_for_ranks_first(tokenizer: Tokenizer) -> None:
    library = small(
        "Stadium\n"
        "The stadium was opened to the public after a long delay.\n"
        "The stadium opened in 2014 with a concert.\n"
        "Seven thousand fans came to see the stadium open.\n",
        tokenizer,
    )
    assert quotes(library, "When did the stadium open?")[0].text.endswith("in 2014 with a concert.")
    best = quotes(library, "How many fans came to the stadium?")[0]
    assert best.text.startswith("Seven thousand fans")


def test_the_articles_subject_is_not_the_answer_to_who(tokenizer: Tokenizer) -> None:
    library = small(
        "Tesla\n"
        "Tesla hired an engineer for the tower.\n"
        "Westinghouse hired an engineer for the laboratory.\n",
        tokenizer,
    )
    assert quotes(library, "Who hired an engineer?")[0].text.startswith("Westinghouse")


def test_three_quotes_say_three_different_things(tokenizer: Tokenizer) -> None:
    library = small(
        "Echo\n"
        "The river floods in spring.\n"
        "Farmers plant rice near the river.\n"
        "The river floods in spring!\n"
        "A bridge crosses the river downtown.\n",
        tokenizer,
    )
    found = [q.text for q in quotes(library, "river floods")]
    assert found[0] == "The river floods in spring."
    assert "The river floods in spring!" not in found
    assert len(found) == 3


def test_question_kinds() -> None:
    assert asked_kind("When did Tesla come to the US?") is AnswerKind.DATE
    assert asked_kind("In what year was it built?") is AnswerKind.DATE
    assert asked_kind("How many fans came?") is AnswerKind.NUMBER
    assert asked_kind("What percentage of votes?") is AnswerKind.NUMBER
    assert asked_kind("Who won Super Bowl 50?") is AnswerKind.NAME
    assert asked_kind("Which NFL team won?") is AnswerKind.NAME
    assert asked_kind("What is a reduction?") is AnswerKind.NONE
    # the kind's noun after "is/was the" and a word or two
    assert asked_kind("What was the final score of the game?") is AnswerKind.NUMBER
    assert asked_kind("What is the total population of the city?") is AnswerKind.NUMBER
    assert asked_kind("In what year did he die?") is AnswerKind.DATE
    assert asked_kind("Which Carolina team lost?") is AnswerKind.NAME
    assert asked_kind("What did the team do next?") is AnswerKind.NONE
    assert asked_kind("¿Quién ganó?", "spanish") is AnswerKind.NONE


def test_search_words() -> None:
    words = SearchWords("english")
    tokens = words.tokens("Levi's U.S. 49ers gold-themed $1,000 16% won")
    terms = [term for token in tokens for term in words.terms(token)]
    assert terms == ["levi", "us", "49ers", "gold", "theme", "gold-themed", "1000", "16", "win"]
    assert words.terms("one") == ("one",) and words.terms("the") == ()


def test_summaries_keep_sumys_words(library: ChannelArticles) -> None:
    article = library.article_for()
    # Search has numbers, summaries do not: a summary's stop words and tokens are sumy's.
    assert "2023" not in article.tokenizer.to_words("The 2023 Hollywood strikes")
    assert article.index.query_terms("The 2023 Hollywood strikes") == [
        "2023",
        "hollywood",
        "strike",
    ]


def test_a_question_worded_unlike_the_text_finds_it(library: ChannelArticles) -> None:
    found = quotes(library, "who worries about losing their jobs")
    artists = [q for q in found if "special effects artists" in q.text]
    assert artists, [q.text for q in found]
    assert {"fears", "displace", "roles"} <= set(marked(artists[0]))


def test_accents_are_optional_in_latin_scripts(tokenizer: Tokenizer) -> None:
    library = small(
        "Towns\nTesla was born in Smiljan, near Gospić.\nHe studied in Graz.\n", tokenizer
    )
    best = quotes(library, "Where is Gospic?")[0]
    assert best.text.startswith("Tesla was born") and marked(best) == ["Gospić"]
    assert quotes(library, "gospić")[0].text.startswith("Tesla was born")


def test_a_word_of_the_same_family_is_found(tokenizer: Tokenizer) -> None:
    library = small(
        "Classes\nThe classification of problems is hard.\nSorting is easy.\n", tokenizer
    )
    best = quotes(library, "how do they classify problems")[0]
    assert best.text.startswith("The classification") and "classification" in marked(best)


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. and the U.K. (e.g. Levi's) paid $11 billion, 16%; a gold-themed 49ers game.",
        "“Quoted” words—dashes… 1,000.5 and 5.4% [brackets] {braces} x\x00y and \x00 alone.",
        "COVID-19's rise, U.S.-based firms' 1990s-era work: ¿qué? Gospić's rivers!",
        "\x00",
        "",
    ],
)
def test_a_documents_words_are_each_sentences_words(text: str) -> None:
    """Splitting the whole text at spaces finds, sentence by sentence, what TOKEN finds."""
    words = SearchWords("english")
    sentences = [text, "A second sentence, after it.", text.upper()]
    chunks = words.document_chunks(sentences)
    for number, sentence in enumerate(sentences):
        found = [
            term
            for chunk in chunks.ids[chunks.sentence == number].tolist()
            for token in words.chunk_tokens(chunks.surfaces[chunk])
            for term in words.terms(token)
        ]
        assert found == [term for token in TOKEN.findall(sentence) for term in words.terms(token)]
