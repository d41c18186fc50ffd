#!/usr/bin/env bash
# Run the tests on every supported Python: 3.11, 3.12 and 3.13 (or the versions given).
#
#   scripts/test-pythons.sh                      all three
#   scripts/test-pythons.sh 3.13                 only some
#   scripts/test-pythons.sh -- -x tests/chat/test_routing.py    pytest arguments after --
#
# Each version gets a virtual environment of its own in .venv-pythons/VERSION, installed
# as the README does (pip install -e '.[dev]'). Interpreters come from PATH (python3.12)
# or from pyenv ($PYENV_ROOT/versions/3.12.*). As in CI, NLTK_DATA points at an empty
# folder. Prints one line per version; the exit status is 0 only if every version passed.
set -uo pipefail
cd "$(dirname "$0")/.."

versions=()
pytest_args=()
while (($#)); do
    if [[ $1 == -- ]]; then
        shift
        pytest_args=("$@")
        break
    fi
    versions+=("$1")
    shift
done
((${#versions[@]})) || versions=(3.11 3.12 3.13)

find_python() {
    # The first that runs: pyenv's shims are on PATH even for versions it has not selected.
    local version=$1 candidate
    for candidate in "$(command -v "python$version")" \
        "${PYENV_ROOT:-$HOME/.pyenv}/versions/$version".*/bin/"python$version"; do
        if [[ -x $candidate ]] && "$candidate" -c "" >/dev/null 2>&1; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

NLTK_DATA="$(mktemp -d)"
export NLTK_DATA
status=0
results=()
for version in "${versions[@]}"; do
    if ! python=$(find_python "$version"); then
        results+=("$version: FAILED (no python$version on PATH or in pyenv)")
        status=1
        continue
    fi
    venv=".venv-pythons/$version"
    echo "== Python $version ($python)"
    [ -x "$venv/bin/pip" ] || rm -rf "$venv" # made anew if an earlier run stopped half-way
    if "$python" -m venv "$venv" &&
        "$venv/bin/pip" install -q -e '.[dev]' &&
        "$venv/bin/pytest" -q "${pytest_args[@]}"; then
        results+=("$version: passed ($("$venv/bin/python" --version))")
    else
        results+=("$version: FAILED")
        status=1
    fi
done
printf '%s\n' "${results[@]}"
exit "$status"
