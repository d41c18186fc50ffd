"""The answers benchmark: its scoring rule, its BM25 scripts, and a run on a set of our own."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.answers import EVAL_DIR, PlainBM25, Question, answered, evaluate, main, table
from bot.sources.files import load_file
from bot.text.document import Document
from bot.text.tokenizer import Tokenizer

SET = """doc\tquestion\tanswers\tpart
rivers.md\tWhen did the bridge open?\t1932\t1
rivers.md\tWhich river crosses the town?\tRiver *Tame*|the Tame\t1
rivers.md\tHow long is the bridge?\t300 metres\t2
"""
DOC = """# Rivers

## Part 1

The River Tame crosses the town from east to west. Its water was once used by mills.

## Part 2

The stone bridge opened in 1932. It is 300 metres long and carries the main road.
"""


def test_a_gold_answer_counts_inside_a_quote_case_and_emphasis_aside() -> None:
    question = Question("x.md", "who won?", ("Denver *Broncos*", "Broncos"))
    assert answered(question, ["In the end the denver   BRONCOS won."])
    assert answered(question, ["nothing", "the Broncos"])
    assert not answered(question, ["Carolina won."])


def test_plain_bm25_ranks_by_words(bundled: Document) -> None:
    ranker = PlainBM25(bundled)
    for smoothed in (False, True):
        best = ranker.rank("what did Sarandos say", 3, smoothed=smoothed)
        assert "Sarandos" in best[0]
        assert 1 <= len(best) <= 3
    assert ranker.rank("zebra", 3, smoothed=True) == []


def test_a_run_on_a_set_of_our_own(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "rivers.md").write_text(DOC, encoding="utf-8")
    (tmp_path / "questions.tsv").write_text(SET, encoding="utf-8")
    results = evaluate(tmp_path)
    bot = results.overall("bot")
    assert bot.total == 3 and bot.hits[3] == 3
    assert len(results.seconds) == 3
    assert "| rivers | 3 | 100.0 / 100.0 / 100.0 |" in table(results)


def test_hits_are_written_the_same_on_every_run(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "rivers.md").write_text(DOC, encoding="utf-8")
    (tmp_path / "questions.tsv").write_text(SET, encoding="utf-8")
    first, second = tmp_path / "first.tsv", tmp_path / "second.tsv"
    assert main(["--eval", str(tmp_path), "--hits", str(first)]) == 0
    assert main(["--eval", str(tmp_path), "--hits", str(second)]) == 0
    lines = first.read_text(encoding="utf-8").splitlines()
    assert first.read_bytes() == second.read_bytes()
    best = next(line for line in lines if line.startswith("rivers.md\tWhen did the bridge"))
    rank, sentence, _, matched = best.split("\t")[2:6]
    document = load_file(tmp_path / "docs" / "rivers.md", Tokenizer("english"))
    assert rank == "1" and "bridg" in matched.split()
    assert "1932" in document.sentences[int(sentence)].text
    assert any(line.startswith("large.txt\tWhat is a list?\t1\t") for line in lines)


@pytest.mark.skipif(not (EVAL_DIR / "questions.tsv").is_file(), reason="no question set here")
def test_the_question_set_beats_plain_bm25_on_every_article() -> None:
    results = evaluate()
    for name, scores in results.scores["bot"].items():
        assert scores.share(3) >= results.scores["plain BM25"][name].share(3), name
