#!/usr/bin/env bash
# Measures extraction against its peers in one run on this machine:
#   - speed (MB/s, single-threaded, warm) of Crosscheck (all four claim
#     kinds), chrono-node (dates only) and Recognizers-Text (dates and
#     numbers) over the same article files; Crosscheck and chrono-node in
#     BENCH_PAIRS (default 5) alternating pairs;
#   - accuracy of all three on ../shared/benchmarks/recognizers, scored by
#     ../shared/tools/score_specs.py.
# Peers are installed from npm into bench/peers/node_modules by this script;
# they are never part of the product.
#
#   bench/run_bench.sh [--speed_only] [ARTICLE_FILE...]
#     (default: the seeds and examples). --speed_only measures speed against
#     chrono-node alone: Recognizers-Text takes minutes per megabyte, so it
#     is left out of runs over large corpora, and so is accuracy.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
speed_only=false
if [[ ${1:-} == --speed_only ]]; then
  speed_only=true
  shift
fi
scripts/build >/dev/null
files=("$@")
if [[ ${#files[@]} -eq 0 ]]; then
  files=("$shared"/seeds/*.txt examples/*.txt)
fi
bytes=$(cat "${files[@]}" | wc -c)
echo "== corpus: ${#files[@]} files, $bytes bytes"

(cd bench/peers && npm install --no-audit --no-fund --loglevel=error >/dev/null)
# This machine's speed drifts from minute to minute, by up to 2x: the two
# extractors are measured in alternating pairs of about 2 s each, and the
# ratio is the median of the pairs' ratios.
pairs=${BENCH_PAIRS:-5}
files_list=$(IFS=:; echo "${files[*]}")
pair_figures=()
for ((p = 1; p <= pairs; p++)); do
  ours=$(CROSSCHECK_BENCH_FILES=$files_list \
    build/bench/extraction_bench --benchmark_filter='^BM_ExtractArticles/' \
    --benchmark_min_time=2 --benchmark_format=json 2>/dev/null |
    python3 -c 'import json,sys; b=json.load(sys.stdin)["benchmarks"][0]; print(b["bytes_per_second"]/1e6)')
  chrono=$(PEER_SECONDS=2 node bench/peers/speed.js chrono "${files[@]}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["mb_per_s"])')
  pair_figures+=("$ours:$chrono")
done
recog=0
if ! $speed_only; then
  recog=$(node bench/peers/speed.js recognizers "${files[@]}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["mb_per_s"])')
fi
python3 - "$recog" "${pair_figures[@]}" <<'PY'
import statistics, sys
recog = float(sys.argv[1])
pairs = [tuple(map(float, p.split(":"))) for p in sys.argv[2:]]
ours = statistics.median(o for o, _ in pairs)
chrono = statistics.median(c for _, c in pairs)
ratio = statistics.median(o / c for o, c in pairs)
print(f"== speed (MB/s, one core, warm; median of {len(pairs)} alternating pairs)")
for o, c in pairs:
    print(f"  pair: crosscheck {o:8.3f}  chrono-node {c:7.3f}  ratio {o / c:5.1f}x")
print(f"  crosscheck (casualties, quantities, dates, quotes) {ours:10.3f}")
print(f"  chrono-node (dates only)                          {chrono:10.3f}  -> crosscheck is {ratio:.1f}x (median of the pairs' ratios)")
if recog > 0:
    print(f"  Recognizers-Text (dates, numbers)                 {recog:10.3f}  -> crosscheck is {ours / recog:.0f}x")
PY

if $speed_only; then
  exit 0
fi
echo "== accuracy on ../shared/benchmarks/recognizers (past readings)"
score() {  # name extractor file kinds
  local line
  line=$(python3 "$shared/tools/score_specs.py" --crosscheck "$2" \
    "$shared/benchmarks/recognizers/$3" --kinds "$4" | tail -n 1)
  printf '  %-18s %-26s %s\n' "$1" "$3" "${line#specs: }"
}
for peer in crosscheck chrono recognizers; do
  case $peer in
    crosscheck) exe=build/client/crosscheck ;;
    chrono) exe=bench/peers/chrono-extract ;;
    recognizers) exe=bench/peers/recognizers-extract ;;
  esac
  score "$peer" "$exe" datetime.jsonl date
  score "$peer" "$exe" datetime-pastfuture.jsonl date
  if [[ $peer != chrono ]]; then
    score "$peer" "$exe" number.jsonl number,percentage,numberrange,dimension
  fi
done
