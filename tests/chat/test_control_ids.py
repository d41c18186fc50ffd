"""The state controls carry, the controls a reply gets, and a click answered by the core."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from adapters.console import render
from bot.chat.channel_articles import ChannelArticles
from bot.chat.clicks import GONE_NOTE, STALE_NOTE
from bot.chat.commands import Action, Ask, Click, Invalid, read_command
from bot.chat.control_ids import (
    MAX_CONTROL_CHARS,
    BadControl,
    article_key,
    question_digest,
    read_click,
    read_control,
    version_tag,
    write_control,
)
from bot.chat.controls import controls_for
from bot.chat.replies import Kind, Reply
from bot.chat.requests import Request
from bot.chat.routing import handle, is_quick
from bot.sources.files import load_file
from bot.text.tokenizer import Tokenizer
from tests.libraries import single


def typed(library: ChannelArticles, text: str, user: str = "U1") -> Reply:
    return handle(read_command(text), Request("C1", user), library)


def answer_click(
    control: str, chosen: tuple[str, ...] | list[str], channel: str, library: ChannelArticles
) -> Reply:
    """A click read into a command and answered by the core, as the dispatcher does."""
    return handle(read_click(control, chosen), Request(channel, "U1"), library)


def button(reply: Reply, label: str, asker: str = "U1", menu_size: int = 25) -> str:
    controls = controls_for(reply, asker, menu_size=menu_size)
    [found] = [b for b in controls.buttons if b.label == label]
    return write_control(found.click)


def labels(reply: Reply, menu_size: int = 25) -> list[str]:
    return [b.label for b in controls_for(reply, "U1", menu_size=menu_size).buttons]


def sentences_shown(reply: Reply) -> set[str]:
    shown = {p for block in reply.blocks for p in block.paragraphs}
    shown |= {q.text for block in reply.blocks for q in block.quotes}
    return shown


# ---------------------------------------------------------------- ids


def test_a_click_goes_through_its_id_and_back() -> None:
    clicks = [
        Click(Action.SECTION, "article.txt", "71c8a4e8be90", 3, "U123"),
        Click(Action.OVERVIEW, "~0123456789ab", "abc", 2, "123456789012345678"),
        Click(Action.MORE, "a", "v", 6, "", "what | did she say?"),
    ]
    for click in clicks:
        assert read_control(write_control(click)) == click
    menu = write_control(Click(Action.PICK, "a", "v", 1, "U1"))
    assert read_control(menu, ["4"]) == Click(Action.SECTION, "a", "v", 4, "U1")


def test_long_or_odd_names_and_versions_are_hashed_short() -> None:
    assert article_key("netflix.txt") == "netflix.txt"
    key = article_key("https://example.com/a very long | page name")
    assert key.startswith("~") and len(key) == 13 and "|" not in key
    assert version_tag("71c8a4e8be90") == "71c8a4e8be90"
    odd = version_tag("71c8a4e8be90ff|x")
    assert odd != "71c8a4e8be90ff|x" and len(odd) == 8 and odd.isalnum()
    assert version_tag(7) == "7"


BAD = {
    "garbage": ("garbage", ()),
    "empty": ("", ()),
    "10 KB": ("sb1|s|a|v|3|U1" + "x" * 10_000, ()),
    "10 KB question": ("sb1|m|a|v|3|U1|" + "q" * 10_000, ()),
    "another prefix": ("sb2|s|a|v|3|U1", ()),
    "unknown action": ("sb1|z|a|v|3|U1", ()),
    "negative section": ("sb1|s|a|v|-3|U1", ()),
    "huge section": ("sb1|s|a|v|99999999|U1", ()),
    "name with a space": ("sb1|s|a b|v|3|U1", ()),
    "extra field": ("sb1|s|a|v|3|U1|more", ()),
    "missing field": ("sb1|s|a|v|3", ()),
    "more without a question": ("sb1|m|a|v|3|U1|", ()),
    "control characters in a question": ("sb1|m|a|v|3|U1|what\x00now", ()),
    "menu without a choice": ("sb1|p|a|v|0|U1", ()),
    "menu with two choices": ("sb1|p|a|v|0|U1", ("1", "2")),
    "menu with a word": ("sb1|p|a|v|0|U1", ("four",)),
    "a button with a choice": ("sb1|s|a|v|3|U1", ("1",)),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_ids_are_refused_with_a_short_note(case: str) -> None:
    text, chosen = BAD[case]
    with pytest.raises(BadControl) as raised:
        read_control(text, chosen)
    assert len(str(raised.value)) < 120 and "Traceback" not in str(raised.value)
    assert MAX_CONTROL_CHARS < 10_000
    command = read_click(text, chosen)
    assert isinstance(command, Invalid) and command.note == str(raised.value)


def test_values_that_are_not_text_are_refused_too() -> None:
    assert isinstance(read_click(None), Invalid)
    assert isinstance(read_click("sb1|p|a|v|0|U1", [4]), Invalid)
    assert isinstance(read_click("sb1|p|a|v|0|U1", ["1"] * 26), Invalid)


# ---------------------------------------------------------------- which controls


def test_sections_lead_to_their_neighbours_and_the_overview(library: ChannelArticles) -> None:
    count = len(library.article_for().document.sections)
    assert labels(typed(library, "/summary 1")) == ["Next section", "Overview"]
    assert labels(typed(library, "/summary 2")) == ["Previous section", "Next section", "Overview"]
    assert labels(typed(library, f"/summary {count}")) == ["Previous section", "Overview"]
    assert controls_for(typed(library, "/summary help"), "U1", menu_size=25).buttons == ()
    assert not controls_for(typed(library, "/summary sections"), "U1", menu_size=25)


def test_an_answer_offers_more_and_each_quoted_section(library: ChannelArticles) -> None:
    reply = typed(library, "/summary Netflix")
    quoted = sorted({q.section for b in reply.blocks for q in b.quotes})
    assert labels(reply)[0] == "More answers"
    opened = [read_control(button(reply, label)).number for label in labels(reply)[1:]]
    assert sorted(opened) == quoted


def test_a_long_article_pages_its_section_menu(tmp_path: Path) -> None:
    path = tmp_path / "long.md"
    parts = [
        f"## Part {n}\n\nPart {n} is about topic {n}. It says more on {n}.\n" for n in range(60)
    ]
    path.write_text("# Long\n\n" + "\n".join(parts), encoding="utf-8")
    library = single(load_file(path, Tokenizer("english"))).warm()
    reply = typed(library, "/summary")
    assert reply.place is not None and reply.place.sections == 60
    first = controls_for(reply, "U1", menu_size=25)
    assert first.menu is not None and len(first.menu.options) == 25
    assert first.menu.options[0] == (1, "1. Part 0") and [b.label for b in first.buttons] == [
        "Sections 26-50"
    ]
    page = answer_click(write_control(first.buttons[0].click), (), "C1", library)
    second = controls_for(page, "U1", menu_size=25)
    assert second.menu is not None and second.menu.options[0][0] == 26
    assert [b.label for b in second.buttons] == ["Sections 1-25", "Sections 51-60"]
    whole = controls_for(reply, "U1", menu_size=100)
    assert whole.menu is not None and len(whole.menu.options) == 60 and whole.buttons == ()


# ---------------------------------------------------------------- clicks


def test_a_click_on_a_prepared_article_is_answered_from_memory(
    library: ChannelArticles, tmp_path: Path
) -> None:
    click = read_click(button(typed(library, "/summary 2"), "Next section"))
    assert isinstance(click, Click) and is_quick(click, Request("C1", "U1"), library)
    path = tmp_path / "other.md"
    path.write_text("# Other\n\n## One\n\nOne thing. Another thing.\n", encoding="utf-8")
    unprepared = single(load_file(path, Tokenizer("english")))
    elsewhere = read_click(write_control(replace(click, article=article_key(str(path)))))
    assert isinstance(elsewhere, Click)
    assert not is_quick(elsewhere, Request("C1", "U1"), unprepared)


def test_next_shows_the_next_section_and_only_it(library: ChannelArticles) -> None:
    article = library.article_for()
    reply = answer_click(button(typed(library, "/summary 2"), "Next section"), (), "C1", library)
    third = article.document.section(3)
    assert reply.kind is Kind.SECTION and reply.blocks[0].heading == f"3. {third.title}"
    shown = " ".join(reply.blocks[0].paragraphs)
    assert shown == " ".join(article.summary(third))
    for other in article.document.sections:
        if other.number != 3:
            assert not any(sentence in shown for sentence in other.sentences)


def test_the_menu_opens_any_section(library: ChannelArticles) -> None:
    overview = typed(library, "/summary")
    menu = controls_for(overview, "U1", menu_size=25).menu
    assert menu is not None
    reply = answer_click(write_control(menu.click), ["4"], "C1", library)
    assert reply.blocks[0].heading.startswith("4. ")


def test_more_answers_shows_sentences_not_shown_before(library: ChannelArticles) -> None:
    first = typed(library, "/summary Netflix")
    more = answer_click(button(first, "More answers"), (), "C1", library)
    again = answer_click(button(more, "More answers"), (), "C1", library)
    pages = [sentences_shown(r) for r in (first, more, again)]
    assert all(len(page) == 3 for page in pages)
    assert not pages[0] & pages[1] and not pages[1] & pages[2] and not pages[0] & pages[2]


def test_stale_forged_and_out_of_range_clicks_get_a_short_note(library: ChannelArticles) -> None:
    article = library.article_for()
    good = read_control(button(typed(library, "/summary 2"), "Next section"))
    stale = answer_click(write_control(replace(good, version="0ld")), (), "C1", library)
    assert stale.kind is Kind.OVERVIEW and stale.note.startswith(STALE_NOTE)
    gone = answer_click(write_control(replace(good, article="other.txt")), (), "C1", library)
    assert gone.kind is Kind.OVERVIEW and gone.note.startswith(GONE_NOTE)
    assert gone.title == article.document.title
    for number in (0, 6, 999_999):
        far = answer_click(write_control(replace(good, number=number)), (), "C1", library)
        assert far.kind is Kind.ERROR and "sections 1 to 5" in far.note and not far.blocks
    for text, chosen in BAD.values():
        bad = answer_click(text, chosen, "C1", library)
        assert bad.kind is Kind.ERROR and len(bad.note) < 120 and not bad.blocks


def test_the_console_shows_the_same_choices_as_typed_hints(library: ChannelArticles) -> None:
    section = render(typed(library, "/summary 3"))
    assert section.endswith("previous: `/summary 2` · next: `/summary 4` · overview: `/summary`")
    assert render(typed(library, "/summary")).endswith(
        "open a section: `/summary <number>` (1 to 5)"
    )
    assert "section 3: `/summary 3`" in render(typed(library, "/summary what about jobs?"))
    listing = typed(library, "/summary sections")
    assert render(listing) == listing.plain_text()  # no controls, no hints


def test_more_answers_typed_at_the_console_is_what_the_button_shows(
    library: ChannelArticles,
) -> None:
    first = typed(library, "/summary Netflix")
    assert "more answers: `/summary more 3 Netflix`" in render(first)
    clicked = answer_click(button(first, "More answers"), (), "C1", library)
    more = typed(library, "/summary more 3 Netflix")
    assert more == clicked and more.kind is Kind.ANSWER
    assert not sentences_shown(first) & sentences_shown(more)
    assert "more answers: `/summary more 6 Netflix`" in render(more)
    assert read_command("/summary more jobs") == Ask("more jobs")  # no count: a question
    far = typed(library, "/summary more 60 Netflix")
    assert far.kind is Kind.ERROR and "as many answers" in far.note


def test_a_question_carried_as_a_digest_is_read_back_only_when_it_matches() -> None:
    question = "what did Sarandos say about the future of generative AI in film?"
    click = Click(Action.MORE, "a", "v", 3, "U1", question_digest(question))
    control = write_control(click)
    assert question not in control
    assert read_click(control, asked=question) == replace(click, question=question)
    for asked in ("", "what did Sarandos say?", question + " ", "x" * 10_000):
        note = read_click(control, asked=asked)
        assert isinstance(note, Invalid) and "ask again" in note.note
