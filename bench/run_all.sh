#!/usr/bin/env bash
# Runs every benchmark in bench/ one after the other on this machine and
# prints their figures, for bench/README.md:
#   1. extraction against chrono-node and Recognizers-Text, speed and
#      accuracy, on the seeds and examples (bench/run_bench.sh);
#   2. extraction against chrono-node on 200 generated news articles;
#   3. ingest through IngestDocuments, 10,000 news documents on 4 streams,
#      with the WAL and with --sync;
#   4. a load of --docs news documents (default 100,000; 1,000,000 for the
#      scale figures: about 10 minutes here), then the store's bytes per
#      claim after a full compaction;
#   5. the steps of a first read of a fact (its claims, their comparison,
#      the answer's bytes) inside one process on that store (read_bench);
#   6. GetFact and SearchFacts against an echo call at 1, 16 and 64 in
#      flight on crosscheckd serving that store, with answers kept (20
#      rounds) and with none kept (5), and crosscheckd's peak resident
#      memory; the load comes from completion queues, and with answers
#      kept from a thread per call as well, from completion queues again
#      with the load's thread at real-time priority, and from h2load and
#      h2_grpc_load, clients of little CPU (bench/h2load_queries.sh);
#      before them, how much time the machine takes from a running thread
#      (stall_probe).
# This machine's speed changes from minute to minute; compare figures
# within one run.
#
#   bench/run_all.sh [--docs N]
set -euo pipefail
cd "$(dirname "$0")/.."
docs=100000
while [[ $# -gt 0 ]]; do
  case $1 in
    --docs)
      docs=$2
      shift 2
      ;;
    *)
      echo "usage: bench/run_all.sh [--docs N]" >&2
      exit 2
      ;;
  esac
done
work=$(mktemp -d /tmp/crosscheck-bench.XXXXXX)
server=""
cleanup() {
  if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

scripts/build >/dev/null
echo "# $(date -u +%FT%TZ), $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p'))"
# The commit measured, and whether the tree had changes on top of it.
if commit=$(git rev-parse --short HEAD 2>/dev/null); then
  if [[ -n $(git status --porcelain --untracked-files=no) ]]; then
    commit="$commit with uncommitted changes"
  fi
  echo "# commit $commit: $(git log -1 --format=%s)"
fi

echo "## 1. extraction, seeds and examples"
bench/run_bench.sh

echo "## 2. extraction, 200 generated news articles"
build/tests/make_corpus --style news --docs 200 --out "$work/news" >/dev/null
bench/run_bench.sh --speed_only "$work"/news/*.txt

echo "## 3. ingest, 10,000 news documents, 4 streams"
for sync in "" --sync; do
  printf '  %-8s ' "${sync:-WAL}"
  build/bench/load_bench --docs 10000 --streams 4 $sync \
    --data_dir "$work/ingest" | grep '^loaded'
  rm -rf "$work/ingest"
done

echo "## 4. load of $docs news documents, 4 streams"
build/bench/load_bench --docs "$docs" --streams 4 --data_dir "$work/store" |
  grep -v 'over the last 10 s'

echo "## 5. first reads of facts inside one process, on that store"
build/bench/read_bench --data_dir "$work/store"

echo "## 6. queries against echo on that store"
echo "what the machine takes from a running thread, 10 s:"
build/bench/stall_probe --seconds 10
for kept in yes no; do
  flags=()
  if [[ $kept == no ]]; then flags=(--fact_response_cache_bytes 0); fi
  echo "answers kept: $kept"
  build/server/crosscheckd --data_dir "$work/store" --listen 127.0.0.1:0 \
    --no_log_requests "${flags[@]}" >"$work/crosscheckd.out" 2>&1 &
  server=$!
  port=""
  for _ in $(seq 1 600); do
    port=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$work/crosscheckd.out")
    if [[ -n $port ]]; then break; fi
    sleep 0.1
  done
  if [[ -z $port ]]; then
    echo "bench/run_all.sh: crosscheckd did not start:" >&2
    cat "$work/crosscheckd.out" >&2
    exit 1
  fi
  # With answers kept, the rows the targets speak of: 20 rounds of 1 s a
  # row, as one round's share of echo moves by half on this machine.
  seconds=5
  if [[ $kept == yes ]]; then seconds=20; fi
  build/bench/query_bench --server "127.0.0.1:$port" --seconds "$seconds" \
    --rounds "$seconds" --sample_stories
  if [[ $kept == yes ]]; then
    # The same load from a thread per call, as the figures before
    # 2026-12-02 were taken.
    build/bench/query_bench --server "127.0.0.1:$port" --seconds 5 \
      --sample_stories --client threads --calls GetFact SearchFacts \
      "SearchFacts basic"
    # The same load with its thread at real-time priority, so that it
    # never waits for a CPU behind crosscheckd's threads (a client on
    # another machine would not): what is left of the tail is the
    # server's. Needs CAP_SYS_NICE.
    echo "load at real-time priority (chrt -f 10):"
    if ! chrt -f 10 build/bench/query_bench --server "127.0.0.1:$port" \
      --seconds 10 --rounds 10 --sample_stories --calls GetFact \
      SearchFacts "SearchFacts basic"; then
      echo "(chrt -f 10 refused here; skipped)"
    fi
    # The same calls from h2load, which leaves the server more of the
    # two cores than a gRPC client does.
    bench/h2load_queries.sh --server "127.0.0.1:$port" --seconds 20 \
      --rounds 10 --in_flight 1,16,64
    # And from h2_grpc_load, which reads each answer in one recv where
    # h2load reads 8 KiB at a time, and checks every answer.
    bench/h2load_queries.sh --server "127.0.0.1:$port" --seconds 20 \
      --rounds 10 --in_flight 1,16,64 --load h2_grpc_load
  fi
  grep VmHWM "/proc/$server/status"
  kill "$server"
  wait "$server" || true
  server=""
done
