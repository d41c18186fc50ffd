"""A child process for item 3: start cold, load an article, get ready, say so.

``python -m bench.ready ARTICLE`` imports the bot, loads ARTICLE and warms it
(every summary and the search index, as the bot does before serving), then
prints ``READY``.  With ``--sumy`` it instead imports sumy, parses ARTICLE
with the bot's parser and summarizes every section with sumy's LexRank
directly (the baseline).  The parent times spawn to ``READY`` and reads the
high-water mark of its resident memory that the child prints (``VmHWM``:
the kernel's ``ru_maxrss`` for a child would include the parent's, inherited
across fork and exec).
"""

from __future__ import annotations

import argparse
import sys


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("article")
    parser.add_argument("--sumy", action="store_true")
    args = parser.parse_args()
    from bot.sources.files import load_file
    from bot.text.tokenizer import Tokenizer

    tokenizer = Tokenizer("english")
    document = load_file(args.article, tokenizer)
    if args.sumy:
        from bench.baseline import sumy_lexrank, sumy_pick

        summarizer = sumy_lexrank()
        for section in document.sections:
            sumy_pick(summarizer, section, tokenizer, 3)
    else:
        from bot.articles.options import Options
        from bot.articles.prepared import prepare

        prepare(str(args.article), document, Options())
    print("READY", flush=True)
    print(f"RSS {peak_rss()}", flush=True)
    return 0


def peak_rss() -> int:
    """This process's peak resident set size in bytes (VmHWM: its own, since exec)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


if __name__ == "__main__":
    sys.exit(main())
