"""``python -m bench``: run the benchmarks and print the table (see bench/run.py).

``python -m bench answers`` scores answers to questions only (see bench/answers.py).
"""

from __future__ import annotations

import sys

if sys.argv[1:2] == ["answers"]:
    from bench.answers import main as answers

    sys.exit(answers(sys.argv[2:]))

from bench.run import main

sys.exit(main())
