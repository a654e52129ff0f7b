#!/usr/bin/env bash
# Fuzz quoteprov for a bounded time (not in CI). From the repository root:
#
#   bash benchmarks/fuzz.sh            # 5 minutes per atheris target, 2,000 hypothesis examples
#   SECONDS_PER_TARGET=60 EXAMPLES=300 bash benchmarks/fuzz.sh
#
# 1. The hypothesis properties of tests/test_fuzz.py (every stage, the corpus file and the
#    command line), QUOTEPROV_FUZZ_EXAMPLES examples each instead of CI's 30.
# 2. Coverage-guided fuzzing (atheris, libFuzzer) of the quote extractor and the sentence
#    splitter, SECONDS_PER_TARGET each; crashes are written to benchmarks/fuzz-out/.
#    atheris is not a dev dependency: this installs it into the current environment if
#    it is missing (a binary wheel for CPython 3.8-3.11 on Linux x86-64).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
SECONDS_PER_TARGET="${SECONDS_PER_TARGET:-300}"
EXAMPLES="${EXAMPLES:-2000}"
OUT=benchmarks/fuzz-out
mkdir -p "$OUT"

echo "# fuzz.sh: $(date -u +%FT%TZ) on $(uname -sr), $(nproc) CPUs, $("$PYTHON" --version)"
echo "# command: SECONDS_PER_TARGET=$SECONDS_PER_TARGET EXAMPLES=$EXAMPLES bash benchmarks/fuzz.sh"

echo "## hypothesis: $EXAMPLES examples per property"
start=$(date +%s)
QUOTEPROV_FUZZ_EXAMPLES="$EXAMPLES" "$PYTHON" -m pytest -q -p no:cacheprovider \
    tests/test_fuzz.py -o addopts="" --hypothesis-show-statistics 2>&1 \
    | grep -E "passed|failed|Falsifying|test_fuzz.py::|passing examples" || true
echo "   $(( $(date +%s) - start )) s"

"$PYTHON" -c "import atheris" 2>/dev/null || "$PYTHON" -m pip install -q atheris
for target in quotes sentences; do
    echo "## atheris: $target, $SECONDS_PER_TARGET s"
    mkdir -p "$OUT/corpus-$target"
    "$PYTHON" benchmarks/fuzz_atheris.py "$target" "$OUT/corpus-$target" \
        -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=4096 -timeout=20 \
        -max_len=200000 -artifact_prefix="$OUT/$target-" -print_final_stats=1 2>&1 \
        | grep -E "^#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::peak_rss|crash-|timeout-|ERROR" \
        | tail -5 || true
done
ls "$OUT" | grep -E "^(quotes|sentences)-(crash|timeout|oom)" && exit 1 || echo "## no crash, timeout or out-of-memory input"
