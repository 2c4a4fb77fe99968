#!/usr/bin/env python3
"""The Python client (client/python) against a real crosscheckd.

    python_client_test.py --daemon build/server/crosscheckd \
        --corpus-tool build/tests/make_corpus

PYTHONPATH must hold build/python (the generated stubs) and client/python.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import unittest

from crosscheck_client import Client, CrosscheckError, crosscheck_pb2

ARGS = None
HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "client", "python", "examples",
                       "disputed_facts.py")


class Daemon:
    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.start("127.0.0.1:0")

    def start(self, listen):
        self.proc = subprocess.Popen(
            [ARGS.daemon, "--listen", listen, "--data_dir", self.data_dir],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"port (\d+)", line)
        if not m:
            self.proc.kill()
            raise RuntimeError(f"crosscheckd did not start: {line!r}")
        self.address = f"127.0.0.1:{m.group(1)}"

    def restart(self):
        """Stops crosscheckd and starts it again on the same port."""
        self.stop()
        self.start(self.address)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.proc.stdout.close()


class PythonClientTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.daemon = Daemon(os.path.join(self.tmp.name, "data"))
        self.client = Client(self.daemon.address)

    def tearDown(self):
        self.client.close()
        self.daemon.stop()
        self.tmp.cleanup()

    def corpus(self, name, docs, *extra):
        out = os.path.join(self.tmp.name, name)
        subprocess.run([ARGS.corpus_tool, "--out", out, "--docs", str(docs),
                        *extra], check=True, stdout=subprocess.DEVNULL)
        return out

    def test_ingest_many_answers_each_document_and_goes_on_after_a_bad_one(self):
        docs = [{"id": f"d{i}", "source": f"Outlet {i % 3}",
                 "published": "2024-07-02", "story": "flood",
                 "text": f"The flood killed {10 + i % 2} people in Dhaka on "
                         "Monday, officials said."} for i in range(6)]
        docs[3]["text"] = b"Broken \xc3\x28 bytes"
        answers = list(self.client.ingest_many(docs))
        self.assertEqual([a.sequence for a in answers], [1, 2, 3, 4, 5, 6])
        self.assertEqual(answers[3].error_code, 3)  # INVALID_ARGUMENT
        self.assertIn("not valid UTF-8", answers[3].error_message)
        self.assertEqual(sum(1 for a in answers if a.error_code == 0), 5)
        self.assertEqual(self.client.get("d5").document.document.source,
                         "Outlet 2")
        with self.assertRaises(CrosscheckError) as e:
            self.client.get("d3")
        self.assertEqual(e.exception.code, "NOT_FOUND")

        disputed = list(self.client.search_facts("flood", disputed_only=True))
        self.assertEqual(len(disputed), 1)
        self.assertEqual(disputed[0].description.split(" · ")[0], "killed")
        values = sorted(g.value for g in disputed[0].groups)
        self.assertEqual(values, ["10", "11"])
        self.assertTrue(all(len(g.claims) > 0 for g in disputed[0].groups))
        basic = list(self.client.search_facts("flood", disputed_only=True,
                                              basic=True))
        self.assertEqual([f.fact_key for f in basic],
                         [f.fact_key for f in disputed])
        self.assertEqual(sorted(g.value for g in basic[0].groups), values)
        self.assertTrue(all(len(g.claims) == 0 for g in basic[0].groups))

    def test_bad_arguments_raise_with_the_server_message(self):
        with self.assertRaises(CrosscheckError) as e:
            self.client.ingest(id="", source="S", published="2024-07-02",
                               text="x")
        self.assertEqual(e.exception.code, "INVALID_ARGUMENT")
        self.assertIn("id is empty", e.exception.message)
        with self.assertRaises(ValueError):
            list(self.client.search_facts(kind="weather"))

    def test_watch_resumes_after_a_restart_without_losing_a_change(self):
        seen = []
        done = threading.Event()

        def follow():
            for change in self.client.watch(after="0", retry_seconds=0.3):
                seen.append(int(change.position))
                if change.document_id == "sentinel":
                    break
            done.set()

        threading.Thread(target=follow, daemon=True).start()
        first = self.corpus("a", 40)
        run = self.run_example("--manifest", os.path.join(first, "manifest.jsonl"))
        self.assertEqual(run.returncode, 0, run.stderr)
        # Restart crosscheckd on the same port; the watcher reconnects.
        self.daemon.restart()
        second = self.corpus("b", 20, "--first", "40", "--stories", "2")
        with open(os.path.join(second, "manifest.jsonl")) as f:
            self.assertEqual(self.run_example("--manifest", f.name).returncode, 0)
        # A story of its own with one fact: exactly one change, the newest.
        self.client.ingest(id="sentinel", source="Wire", published="2024-07-03",
                           story="sentinel",
                           text="The blast killed 12 people in Kabul, police said.")
        self.assertTrue(done.wait(30), "the watcher did not catch up")
        last = self.client._stub.GetStats(
            crosscheck_pb2.GetStatsRequest(), timeout=10).last_change_position
        self.assertGreater(last, 40)
        self.assertEqual(seen, list(range(1, last + 1)))

    def test_a_call_made_while_the_server_restarts_waits_for_it(self):
        self.client.ingest(id="kept", source="Wire", published="2024-07-02",
                           text="The flood killed 40 people in Dhaka.")
        self.daemon.stop()
        # Nothing listens: a call with a short timeout says so in time.
        with Client(self.daemon.address, timeout=0.5) as hurried:
            with self.assertRaises(CrosscheckError) as e:
                hurried.get("kept")
            self.assertEqual(e.exception.code, "DEADLINE_EXCEEDED")
        # A call made while it is down is answered once it is back.
        answer = []
        call = threading.Thread(
            target=lambda: answer.append(self.client.get("kept")))
        call.start()
        self.daemon.start(self.daemon.address)
        call.join(30)
        self.assertEqual(answer[0].document.document.source, "Wire")

    def test_the_example_prints_disputed_facts(self):
        folder = os.path.join(self.tmp.name, "articles")
        os.makedirs(folder)
        for outlet, toll in (("a", 40), ("b", 40), ("c", 52)):
            with open(os.path.join(folder, f"{outlet}.txt"), "w") as f:
                f.write(f"The flood killed {toll} people in Dhaka on Monday, "
                        "officials said.")
        run = self.run_example("--source", "Wire", "--published",
                               "2024-07-02", "--story", "dhaka", folder)
        # One outlet name for all three files: a single source, no dispute.
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("stored 3 of 3 articles", run.stdout)
        manifest = os.path.join(folder, "manifest.jsonl")
        with open(manifest, "w") as f:
            for outlet in "abc":
                f.write(f'{{"id": "{outlet}", "source": "Outlet {outlet}", '
                        f'"published": "2024-07-02", "story": "dhaka2", '
                        f'"path": "{outlet}.txt"}}\n')
            f.write('{"id": "bad", "source": "X", "published": "soon", '
                    '"story": "dhaka2", "path": "a.txt"}\n')
        run = self.run_example("--manifest", manifest)
        self.assertEqual(run.returncode, 2, run.stderr)
        self.assertIn("stored 3 of 4 articles", run.stdout)
        self.assertRegex(run.stdout, r"DISAGREE dhaka2 killed .*40 \(Outlet a, "
                                     r"Outlet b\); 52 \(Outlet c\)")
        self.assertIn("failed bad:", run.stdout)

    def run_example(self, *args):
        return subprocess.run([sys.executable, EXAMPLE, "--server",
                               self.daemon.address, *args],
                              capture_output=True, text=True, timeout=120)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--daemon", required=True)
    ap.add_argument("--corpus-tool", required=True)
    ARGS, rest = ap.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
