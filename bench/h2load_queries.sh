#!/usr/bin/env bash
# Echo, GetFact and SearchFacts at 16 calls in flight from h2load (Debian's
# nghttp2-client), an HTTP/2 load generator in C that takes a fraction of
# the CPU a gRPC client takes per call: on a machine whose two cores the
# load shares with crosscheckd, it leaves the server more of them. The
# calls are gRPC's own (POST, application/grpc, a length-prefixed message;
# crosscheckd's answers are checked for grpc-status 0 on one call of each
# kind first). Every call of a row asks the same: one fact (GetFact)
# and one story's first page, whole or basic (SearchFacts); with answers kept,
# the server's work does not depend on which.
#
#   bench/h2load_queries.sh --server 127.0.0.1:50051 [--seconds 10]
#     [--rounds 5] [--in_flight 1,16,64] [--load h2load|h2_grpc_load]
#
# --load h2_grpc_load makes the same calls from build/bench/h2_grpc_load,
# which reads each answer in one recv (h2load reads 8 KiB at a time) and
# checks every answer's grpc-status and size, not one of each kind.
#
# Rounds alternate the rows as query_bench does; a row's share of echo is
# its calls over echo's in the same rounds. p50 and p99 come from h2load's
# log of every call.
set -euo pipefail
cd "$(dirname "$0")/.."
server=127.0.0.1:50051
seconds=10
rounds=5
in_flight=16
load=h2load
while [[ $# -gt 0 ]]; do
  case $1 in
    --server) server=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --in_flight) in_flight=$2; shift 2 ;;
    --load) load=$2; shift 2 ;;
    *)
      echo "usage: bench/h2load_queries.sh --server HOST:PORT [--seconds S] [--rounds N] [--in_flight N[,N...]] [--load h2load|h2_grpc_load]" >&2
      exit 2
      ;;
  esac
done
if ! [[ $seconds =~ ^[1-9][0-9]*$ && $rounds =~ ^[1-9][0-9]*$ &&
  $in_flight =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]]; then
  echo "bench/h2load_queries.sh: --seconds and --rounds take a whole number over 0, --in_flight such numbers joined by commas" >&2
  exit 2
fi
if [[ $load != h2load && $load != h2_grpc_load ]]; then
  echo "bench/h2load_queries.sh: --load takes h2load or h2_grpc_load" >&2
  exit 2
fi
if [[ $load == h2_grpc_load && ! -x build/bench/h2_grpc_load ]]; then
  echo "bench/h2load_queries.sh: build/bench/h2_grpc_load not built (scripts/build)" >&2
  exit 2
fi
if ! command -v h2load >/dev/null; then
  echo "bench/h2load_queries.sh: h2load not found; apt-get install nghttp2-client" >&2
  exit 1
fi
work=$(mktemp -d /tmp/crosscheck-h2load.XXXXXX)
trap 'rm -rf "$work"' EXIT

path_of() {
  case $1 in
    echo) echo /grpc.health.v1.Health/Check ;;
    GetFact) echo /crosscheck.v1.Crosscheck/GetFact ;;
    *) echo /crosscheck.v1.Crosscheck/SearchFacts ;;
  esac
}
rows=(echo GetFact SearchFacts SearchFacts_basic)
# The request bodies of STORY and FACT_KEY: the gRPC frame (no
# compression, 4-byte length) around each message, written field by field.
write_bodies() {
  python3 - "$work" "$1" "$2" <<'EOF'
import struct, sys
work, story_id, fact_key = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
def field(number, data):  # A length-delimited field.
    return bytes([number << 3 | 2, len(data)]) + data
def frame(message):
    return b"\0" + struct.pack(">I", len(message)) + message
story = field(1, story_id)
page_size = bytes([9 << 3, 50])
bodies = {
    "echo": b"",
    "GetFact": story + field(2, fact_key),
    "SearchFacts": story + page_size,
    "SearchFacts_basic": story + page_size + bytes([11 << 3, 2]),
}
for name, message in bodies.items():
    with open(f"{work}/{name}.bin", "wb") as out:
        out.write(frame(message))
EOF
}
# The bytes of ROW's answer, from one call.
answer_bytes() {
  h2load -n 1 -c 1 -d "$work/$1.bin" -H 'content-type: application/grpc' \
    -H 'te: trailers' "http://$server$(path_of "$1")" |
    sed -n 's/.*(\([0-9]*\)) data$/\1/p'
}

# The story of story-0 .. story-29 whose whole first page is their median,
# and of its facts the one with the median count of claims: answers of a
# typical size, as query_bench's are on average.
sizes=()
for i in $(seq 0 29); do
  write_bodies "story-$i" unused
  bytes=$(answer_bytes SearchFacts)
  if [[ -n $bytes && $bytes -gt 50 ]]; then sizes+=("$bytes story-$i"); fi
done
if [[ ${#sizes[@]} -eq 0 ]]; then
  echo "bench/h2load_queries.sh: no story of story-0 .. story-29 on $server" >&2
  exit 1
fi
read -r page story < <(printf '%s\n' "${sizes[@]}" | sort -n |
  sed -n "$(((${#sizes[@]} + 1) / 2))p")
fact_key=$(build/client/crosscheck --server "$server" --json facts \
  --story "$story" | python3 -c '
import json, sys
facts = [json.loads(line) for line in sys.stdin]
facts.sort(key=lambda f: sum(len(g.get("claims", [])) for g in f["groups"]))
print(facts[len(facts) // 2]["factKey"])')
write_bodies "$story" "$fact_key"
echo "$story, whole first page $page bytes; fact $fact_key"

# One call of each through nghttp, to see grpc-status 0 in its trailers:
# h2load sees only HTTP's status, 200 for every gRPC answer. Run before
# and after each level of calls in flight.
check_answers() {
  for row in "${rows[@]}"; do
    status=$(nghttp -v -H 'content-type: application/grpc' \
      -H 'te: trailers' -d "$work/$row.bin" \
      "http://$server$(path_of "$row")" 2>&1 |
      sed -n 's/.*grpc-status: \([0-9]*\).*/\1/p')
    if [[ ${status%%$'\n'*} != 0 ]]; then
      echo "bench/h2load_queries.sh: $row answered grpc-status '${status}'" >&2
      exit 1
    fi
    answer_bytes "$row" >"$work/$row.bytes"
  done
}
check_answers

slice=$(python3 -c "print(max(1, round($seconds / $rounds)))")
echo "$load: a connection per call in flight; $rounds round(s) of $slice s a row"
printf '%-18s %9s %10s %9s %9s %8s %13s %9s\n' call "in flight" calls/s \
  "p50 ms" "p99 ms" "vs echo" rounds bytes
for n in ${in_flight//,/ }; do
  for round in $(seq 1 "$rounds"); do
    for row in "${rows[@]}"; do
      if [[ $load == h2_grpc_load ]]; then
        if ! build/bench/h2_grpc_load --server "$server" \
          --path "$(path_of "$row")" --body "$work/$row.bin" \
          --in_flight "$n" --seconds "$slice" \
          --log_file "$work/$row.$round.log" >"$work/$row.$round.out" 2>&1; then
          echo "bench/h2load_queries.sh: $row failed:" >&2
          cat "$work/$row.$round.out" >&2
          exit 1
        fi
        continue
      fi
      h2load -c "$n" -m 1 -t 1 -D "$slice" -d "$work/$row.bin" \
        -H 'content-type: application/grpc' -H 'te: trailers' \
        --log-file "$work/$row.$round.log" "http://$server$(path_of "$row")" \
        >"$work/$row.$round.out" 2>&1
      if ! grep -q ' 0 failed, 0 errored, 0 timeout' "$work/$row.$round.out"; then
        echo "bench/h2load_queries.sh: $row failed:" >&2
        grep '^requests:' "$work/$row.$round.out" >&2
        exit 1
      fi
    done
  done
  check_answers
  # A call's status in the log: HTTP's from h2load, gRPC's from
  # h2_grpc_load.
  ok_status=200
  if [[ $load == h2_grpc_load ]]; then ok_status=0; fi
  python3 - "$work" "$rounds" "$slice" "$n" "$ok_status" "${rows[@]}" <<'EOF'
import sys
work, rounds, slice_s, in_flight = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
ok_status = sys.argv[5]
rows = sys.argv[6:]
echo_rate, echo_by_round = None, []
for row in rows:
    expected = int(open(f"{work}/{row}.bytes").read())
    ms, per_round = [], []
    for r in range(1, rounds + 1):
        calls = 0
        for line in open(f"{work}/{row}.{r}.log"):
            _, status, micros = line.split()
            if status != ok_status:
                sys.exit(f"bench/h2load_queries.sh: {row}: status {status}")
            calls += 1
            ms.append(int(micros) / 1000)
        per_round.append(calls / slice_s)
    ms.sort()
    rate = len(ms) / (rounds * slice_s)
    p50 = ms[len(ms) // 2]
    p99 = ms[min(len(ms) - 1, len(ms) * 99 // 100)]
    share = rng = ""
    if row == "echo":
        echo_rate, echo_by_round = rate, per_round
    else:
        share = f"{100 * rate / echo_rate:.0f}%"
        shares = [100 * a / e for a, e in zip(per_round, echo_by_round)]
        if rounds > 1:
            rng = f"{min(shares):.0f}-{max(shares):.0f}%"
    print(f"{row.replace('_', ' '):<18} {in_flight:>9} {rate:>10.0f} {p50:>9.3f} "
          f"{p99:>9.3f} {share:>8} {rng:>13} {expected:>9}")
EOF
done
