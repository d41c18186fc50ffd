"""``python -m bench``: run the benchmarks and print the table (see bench/run.py).

``python -m bench answers`` scores answers to questions only (see bench/answers.py);
``python -m bench clicks`` times 50 clicks at once on each chat platform (bench/clicks.py).
"""

from __future__ import annotations

import sys

if sys.argv[1:2] == ["answers"]:
    from bench.answers import main as answers

    sys.exit(answers(sys.argv[2:]))

if sys.argv[1:2] == ["clicks"]:
    from bench.clicks import main as clicks

    sys.exit(clicks(sys.argv[2:]))

from bench.run import main

sys.exit(main())
