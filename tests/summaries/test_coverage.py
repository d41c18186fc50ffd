"""The bot's own picking method, ``coverage``: on the bundled article and on small texts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.discord.render import render as discord_render
from adapters.slack.render import render as slack_render
from bot.articles.options import OVERVIEW_SECTIONS, OVERVIEW_WORDS, Options
from bot.articles.prepared import prepare
from bot.chat.channel_articles import ChannelArticles
from bot.chat.commands import read_command
from bot.chat.replies import Kind, Reply
from bot.chat.requests import Request
from bot.chat.routing import handle
from bot.summaries.coverage import MIN_WORDS, Concepts, pick_each_section, pick_overview
from bot.summaries.summarizer import COVERAGE, DEFAULT_ALGORITHM, Summarizer, SummaryLength
from bot.text.document import Document, Section, slugify
from bot.text.tokenizer import Tokenizer
from tests.libraries import single


def words(text: str) -> int:
    return len(text.split())


def document(*sections: list[str], title: str = "A test article") -> Document:
    """Sections (the first untitled) of one paragraph each."""
    return Document(
        title,
        tuple(
            Section(n, f"Part {n}", slugify(f"Part {n}"), (tuple(sentences),), untitled=n == 1)
            for n, sentences in enumerate(sections, start=1)
        ),
    )


def plain_slack(reply: Reply) -> str:
    return "\n".join(str(block) for message in slack_render(reply) for block in message["blocks"])


def overview(doc: Document, budget: int) -> list[tuple[str, ...]]:
    article = prepare("test", doc, Options(overview_words=budget))
    return [article.overview(section) for section in doc.sections]


# -- the bundled article -----------------------------------------------------------


def test_coverage_is_the_default() -> None:
    assert DEFAULT_ALGORITHM == COVERAGE
    assert Options().algorithm == COVERAGE
    assert Options().overview_words == OVERVIEW_WORDS == 150


def test_the_bundled_overview_names_every_section_with_a_sentence_within_budget(
    library: ChannelArticles,
) -> None:
    reply = handle(read_command("/summary"), Request(), library)
    doc = library.article_for().document
    assert reply.kind is Kind.OVERVIEW
    assert [block.heading for block in reply.blocks] == [
        f"{section.number}. {section.title}" for section in doc.sections
    ]
    total = 0
    for block, section in zip(reply.blocks, doc.sections, strict=True):
        (paragraph,) = block.paragraphs
        used = [s for s in section.sentences if s in paragraph]
        assert used, f"section {section.number} has no sentence"
        assert paragraph == " ".join(used)  # the section's own sentences, in order
        total += words(paragraph)
    assert 100 <= total <= OVERVIEW_WORDS
    # The article's opening sentence leads it.
    assert reply.blocks[0].paragraphs[0].startswith("Netflix’s announcement that it is integrating")


def test_a_smaller_budget_keeps_every_heading_and_stays_within_it(bundled: Document) -> None:
    library = single(bundled, Options(overview_words=60))
    reply = handle(read_command("/summary"), Request(), library)
    assert len(reply.blocks) == len(bundled.sections)
    texts = [" ".join(block.paragraphs) for block in reply.blocks]
    assert sum(map(words, texts)) <= 60
    assert 1 <= sum(bool(text) for text in texts) < len(bundled.sections)


def test_lex_rank_keeps_its_overview_of_one_or_two_sentences_a_section(
    bundled: Document,
) -> None:
    article = prepare("test", bundled, Options(algorithm="lex-rank"))
    lexrank = Summarizer("lex-rank", Tokenizer("english"))
    for section in bundled.sections:
        wanted = SummaryLength(1 if len(section.sentences) <= 3 else 2)
        assert article.overview(section) == lexrank.sentences(bundled, section.number, wanted)


def test_a_section_summary_has_the_length_asked_for(bundled: Document) -> None:
    article = prepare("test", bundled, Options(length=SummaryLength(3)))
    for section in bundled.sections:
        summary = article.summary(section)
        assert len(summary) == min(3, len(section.sentences))
        assert list(summary) == [s for s in section.sentences if s in summary]
    assert article.summary(bundled.section(3))[0] == bundled.section(3).sentences[0]


# -- properties on small texts ------------------------------------------------------

LEAD = "Solar panels cut the power bills of small farms in the valley."
ECHO = "Solar panels cut power bills for farms."
ASIDE = "The weather was pleasant that spring."
DETAIL = "Farms in the valley installed solar panels on barn roofs."


def test_a_sentence_of_the_articles_key_terms_beats_an_aside() -> None:
    doc = document([ASIDE, LEAD], [DETAIL, "Power bills fell by a third."])
    picks = overview(doc, 30)
    assert picks[0] == (LEAD,)  # key terms win even against the lead position


def test_equally_informative_sentences_go_to_the_lead() -> None:
    first = "Rivers carry silt to the delta."
    second = "Rivers carry silt to the delta."  # the same words, later
    doc = document([first, second, "Silt builds the delta."])
    assert overview(doc, 8) == [(first,)]


def test_what_an_earlier_pick_said_is_not_picked_again() -> None:
    doc = document([LEAD, ECHO, DETAIL], [ECHO, "Power bills fell by a third on valley farms."])
    picks = overview(doc, 200)
    chosen = [s for section in picks for s in section]
    assert LEAD in chosen
    assert ECHO not in picks[0]  # it repeats the lead: nothing new
    assert len(picks[1]) >= 1  # yet the second section gets a sentence


def test_a_rich_section_does_not_take_the_others_words() -> None:
    sections = [
        [
            f"Topic {name} matters because {name} shapes {name} outcomes.",
            f"More about {name} is written down here.",
        ]
        for name in ("alpha", "beta", "gamma", "delta")
    ]
    sections[0] += [f"Alpha and beta and gamma and delta meet in {n} ways." for n in range(3)]
    picks = overview(document(*sections), 45)
    assert all(picks)  # every section first gets a sentence (32 words)...
    assert sum(words(s) for pick in picks for s in pick) <= 45
    assert sum(map(len, picks)) == 5  # ...then the words left go to one more


def test_a_sentence_longer_than_the_budget_is_still_given() -> None:
    long = " ".join(["word"] * 40) + "."
    doc = document([long])
    assert overview(doc, 10) == [(long,)]


def test_a_section_with_no_key_terms_still_gets_its_first_fitting_sentence() -> None:
    quiet = "Nothing said in this part ever repeats."
    doc = document([LEAD, DETAIL], [quiet, "Entirely different words follow it here today."])
    picks = overview(doc, 100)
    assert picks[1] == (quiet,)


def test_fragments_come_last() -> None:
    doc = document([LEAD, "Solar panels.", DETAIL], ["Power bills.", ECHO])
    assert overview(doc, 100) == [(LEAD,), (ECHO,)]  # DETAIL adds nothing new either
    assert overview(document(["Solar panels.", "Solar panels win."]), 100) == [("Solar panels.",)]
    picks = pick_each_section(concepts_for(doc), [2, 2])
    assert picks == [(0, 2), (0, 1)]  # the fragment of part 2 comes after its sentence


def concepts_for(doc: Document) -> Concepts:
    return Summarizer(COVERAGE, Tokenizer("english")).concepts(doc)


def test_section_summaries_cover_their_own_sections_terms() -> None:
    # The second section's sentences share the first section's words: still its own summary.
    doc = document([LEAD, ASIDE], ["The ferry left the harbour at noon.", ECHO])
    picks = pick_each_section(concepts_for(doc), [1, 1])
    assert picks == [(0,), (1,)]  # the lead's terms, covered in part 1, are new in part 2


def test_key_terms_are_those_held_by_two_sentences_or_more() -> None:
    doc = document(["Alpha beta gamma.", "Alpha delta.", "Epsilon zeta."])
    found = concepts_for(doc)
    assert found.weights.tolist() == [2.0]  # only "alpha" comes back
    assert found.matrix.toarray().ravel().tolist() == [1.0, 1.0, 0.0]


sentence_words = st.lists(
    st.sampled_from(["ab", "cd", "ef", "gh", "ij", "kl", "mn", "op"]), min_size=1, max_size=12
)
sections_strategy = st.lists(
    st.lists(sentence_words.map(lambda ws: " ".join(ws) + "."), min_size=1, max_size=6),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(sections_strategy, st.integers(min_value=1, max_value=60))
def test_any_overview_fits_its_budget_in_document_order(
    sections: list[list[str]], budget: int
) -> None:
    doc = document(*sections)
    found = concepts_for(doc)
    picks = pick_overview(found, len(sections), budget)
    chosen = [(n, i) for n, pick in enumerate(picks) for i in pick]
    assert chosen, "an overview is never empty"
    for pick, section in zip(picks, sections, strict=True):
        assert list(pick) == sorted(set(pick)) and all(0 <= i < len(section) for i in pick)
    total = sum(words(sections[n][i]) for n, i in chosen)
    assert total <= budget or len(chosen) == 1
    # A section goes without only if none of its whole sentences fits the words left.
    for pick, section in zip(picks, sections, strict=True):
        if not pick:
            assert all(words(s) > budget - total or words(s) < MIN_WORDS for s in section)


@settings(max_examples=60, deadline=None)
@given(sections_strategy, st.integers(min_value=0, max_value=8))
def test_each_section_summary_has_its_count(sections: list[list[str]], count: int) -> None:
    doc = document(*sections)
    counts = [min(count, len(section)) for section in sections]
    picks = pick_each_section(concepts_for(doc), counts)
    assert [len(pick) for pick in picks] == counts
    for pick in picks:
        assert list(pick) == sorted(set(pick))


def test_the_picks_do_not_depend_on_other_documents() -> None:
    doc = document([LEAD, DETAIL, ECHO], [ASIDE, DETAIL])
    summarizer = Summarizer(COVERAGE, Tokenizer("english"))
    before = summarizer.overview(doc, 25)
    summarizer.overview(document([ASIDE, ECHO]), 25)
    assert summarizer.overview(doc, 25) == before


@pytest.mark.parametrize("budget", [1, 10, 40, 1000])
def test_overview_arrays_are_consistent(budget: int) -> None:
    doc = document([LEAD, DETAIL, ECHO, ASIDE], [ASIDE, DETAIL], [ECHO])
    found = concepts_for(doc)
    assert found.matrix.shape == (7, len(found.weights))
    assert np.all(found.prior[found.position == 0] == 1.0)
    picks = pick_overview(found, 3, budget)
    assert sum(len(p) for p in picks) >= 1


def test_a_tight_overview_shows_the_titles_of_sections_it_had_no_words_for() -> None:
    doc = document(*([LEAD, DETAIL, ECHO] for _ in range(4)))
    reply = handle(read_command("/summary"), Request(), single(doc, Options(overview_words=15)))
    assert [block.heading for block in reply.blocks] == [f"{n}. Part {n}" for n in range(1, 5)]
    assert [len(block.paragraphs) for block in reply.blocks].count(0) >= 1
    assert all(block.paragraphs != ("",) for block in reply.blocks)
    embeds = [embed for message in discord_render(reply) for embed in message.embeds]
    assert [embed["title"] for embed in embeds] == [block.heading for block in reply.blocks]
    assert all(part in plain_slack(reply) for part in ("Part 1", "Part 4"))


def test_the_overview_picks_only_from_the_sections_it_shows() -> None:
    many = [[f"Chapter {n} explains solar panels on farms.", ASIDE] for n in range(40)]
    doc = document(*many)
    article = prepare("test", doc, Options(overview_words=2000))
    picked = [n for n, section in enumerate(doc.sections, 1) if article.overview(section)]
    assert picked == list(range(1, OVERVIEW_SECTIONS + 1))
    reply = handle(read_command("/summary"), Request(), single(doc, Options(overview_words=2000)))
    assert len(reply.blocks) == OVERVIEW_SECTIONS
    assert "15 more sections" in reply.note


def test_an_article_without_headings_gets_its_lead_first(bundled: Document) -> None:
    """News-like: one untitled section (the bundled article's paragraphs, headings dropped)."""
    paragraphs = tuple(p for section in bundled.sections for p in section.paragraphs)
    flat = Document(bundled.title, (Section(1, "", "intro", paragraphs, untitled=True),))
    (picked,) = overview(flat, OVERVIEW_WORDS)
    assert picked[0] == paragraphs[0][0]  # the article's opening sentence
    assert 100 <= sum(map(words, picked)) <= OVERVIEW_WORDS
    everything = [s for p in paragraphs for s in p]
    assert [everything.index(s) for s in picked] == sorted(everything.index(s) for s in picked)


def _overview_over_every_sentence(concepts: Concepts, sections: int, budget: int) -> list[int]:
    """pick_overview as it was first written: every sentence scored, those of the
    sections not shown never free."""
    count = int(np.searchsorted(concepts.section, sections))
    by_concept = concepts.matrix.tocsc()
    gains = np.asarray(concepts.matrix @ concepts.weights, dtype=np.float64)
    covered = np.zeros(len(concepts.weights), dtype=np.bool_)
    free = (np.arange(len(concepts.words)) < count) & concepts.whole
    unseen = np.ones(int(concepts.section.max(initial=sections - 1)) + 1, dtype=np.bool_)
    chosen: list[int] = []
    left = float(budget)
    while count:
        fits = free & (concepts.words <= left)
        fresh = fits & unseen[concepts.section]
        candidates = fresh if fresh.any() else fits
        if not candidates.any():
            break
        values = gains / concepts.words * concepts.prior
        best = int(np.argmax(np.where(candidates, values, -1.0)))
        if not fresh.any() and values[best] <= 0.0:
            break
        chosen.append(best)
        new = concepts.held_by(best)
        new = new[~covered[new]]
        covered[new] = True
        gains -= by_concept[:, new] @ concepts.weights[new]
        free[best] = False
        unseen[concepts.section[best]] = False
        left -= concepts.words[best]
    if not chosen and count:
        chosen.append(int(np.argmax(concepts.values(covered)[:count])))
    return sorted(chosen)


@pytest.mark.parametrize("budget", [5, 60, OVERVIEW_WORDS, 2000])
@pytest.mark.parametrize("shown", [1, 7, OVERVIEW_SECTIONS, 1000])
def test_the_overview_scores_only_the_sentences_it_may_pick(budget: int, shown: int) -> None:
    """Scoring only the shown sections' sentences picks what scoring all of them picked."""
    from bench.corpus import markdown_article
    from bot.text.parsing import parse

    doc = parse(markdown_article(150_000), kind="markdown", name="x.md", tokenizer=Tokenizer())
    found = concepts_for(doc)
    sections = min(shown, len(doc.sections))
    picks = pick_overview(found, sections, budget)
    expected = _overview_over_every_sentence(found, sections, budget)
    starts = np.searchsorted(found.section, np.arange(sections))
    assert sorted(int(starts[s]) + i for s, pick in enumerate(picks) for i in pick) == expected
    assert expected
