#!/usr/bin/env python3
"""Scores Crosscheck on the seed articles with ../shared/tools/score.py.

  score_seeds.py --cli CROSSCHECK --shared SHARED [--daemon CROSSCHECKD]

Extracts the seeds offline and requires claim recall >= 90 %, precision >=
85 % and at least 9 of 11 speakers. With --daemon, also starts the real
crosscheckd on a free port, ingests the seeds with their sources and
publication dates from gold.json, prints `crosscheck facts --json` and
requires at least 9 of 10 comparisons right. Exits non-zero below a bound.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

MIN_RECALL, MIN_PRECISION, MIN_SPEAKERS, MIN_COMPARISONS = 0.90, 0.85, 9, 0.9


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"score_seeds: {' '.join(cmd)} failed ({r.returncode}): {r.stderr}")
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--daemon")
    a = ap.parse_args()
    seeds = os.path.join(a.shared, "seeds")
    gold_path = os.path.join(seeds, "gold.json")
    gold = json.load(open(gold_path))
    with tempfile.TemporaryDirectory(prefix="crosscheck-seeds-") as work:
        return score_in(a, gold, gold_path, seeds, work)


def score_in(a, gold, gold_path, seeds, work):
    """Extracts, optionally ingests, and scores with files kept in `work`."""
    claims_path = os.path.join(work, "claims.jsonl")
    files = [os.path.join(seeds, d["doc"]) for d in gold["documents"]]
    with open(claims_path, "w") as out:
        for d, path in zip(gold["documents"], files):
            r = run([a.cli, "extract", "--published", d["published"],
                     "--source", d["source"], path])
            out.write(r.stdout)
    score = [sys.executable, os.path.join(a.shared, "tools", "score.py"),
             "--gold", gold_path, "--claims", claims_path,
             "--min-recall", str(MIN_RECALL), "--min-precision", str(MIN_PRECISION),
             "--verbose"]
    daemon = None
    if a.daemon:
        daemon = subprocess.Popen([a.daemon, "--listen", "127.0.0.1:0",
                                   "--data_dir", os.path.join(work, "data")],
                                  stdout=subprocess.PIPE, text=True)
        try:
            line = daemon.stdout.readline()
            port = re.search(r"\(port (\d+)\)", line).group(1)
            server = f"127.0.0.1:{port}"
            for d, path in zip(gold["documents"], files):
                run([a.cli, "--server", server, "ingest", "--id", d["doc"],
                     "--source", d["source"], "--published", d["published"],
                     "--story", "seeds", path])
            facts = run([a.cli, "--server", server, "facts", "--json",
                         "--story", "seeds"]).stdout
        finally:
            daemon.terminate()
            daemon.wait(timeout=30)
        facts_path = os.path.join(work, "facts.jsonl")
        open(facts_path, "w").write(facts)
        score += ["--facts", facts_path, "--min-comparisons", str(MIN_COMPARISONS)]
    result = subprocess.run(score, capture_output=True, text=True)
    print(result.stdout, end="")
    print(result.stderr, end="", file=sys.stderr)
    if result.returncode != 0:
        print("score_seeds: below a bound", file=sys.stderr)
        return 1
    m = re.search(r"speakers (\d+)/(\d+)", result.stdout)
    if not m or int(m.group(1)) < MIN_SPEAKERS:
        print(f"score_seeds: speakers below {MIN_SPEAKERS}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
