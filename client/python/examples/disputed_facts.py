#!/usr/bin/env python3
"""Ingest a folder of articles into crosscheckd and print the disputed facts.

    disputed_facts.py --server 127.0.0.1:50051 --manifest corpus/manifest.jsonl
    disputed_facts.py --source "Daily" --published 2024-07-02 --story flood DIR

A manifest line is {"id", "source", "published", "story", "path"} (path
relative to the manifest). Without a manifest every file in DIR is one
article with the --source, --published and --story given. Exits 2 when some
articles were refused (they are listed), 1 when crosscheckd cannot be used.
"""

import argparse
import json
import os
import sys

from crosscheck_client import Client, CrosscheckError


def articles(args):
    if args.manifest:
        base = os.path.dirname(os.path.abspath(args.manifest))
        with open(args.manifest, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                entry = json.loads(line)
                with open(os.path.join(base, entry["path"]), "rb") as text:
                    entry["text"] = text.read()
                yield entry
        return
    for name in sorted(os.listdir(args.folder)):
        path = os.path.join(args.folder, name)
        if name.startswith(".") or not os.path.isfile(path):
            continue
        with open(path, "rb") as text:
            yield {"id": name, "source": args.source,
                   "published": args.published, "story": args.story,
                   "text": text.read()}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--server", default="127.0.0.1:50051")
    ap.add_argument("--token", default=os.environ.get("CROSSCHECK_TOKEN"))
    ap.add_argument("--manifest")
    ap.add_argument("--source")
    ap.add_argument("--published")
    ap.add_argument("--story", default="")
    ap.add_argument("folder", nargs="?")
    args = ap.parse_args()
    if not args.manifest and not (args.folder and args.source and args.published):
        ap.error("give --manifest, or a folder with --source and --published")

    failed, stored, stories = [], 0, set()
    with Client(args.server, token=args.token) as cc:
        try:
            docs = list(articles(args))
            stories = {d.get("story", d.get("story_id", "")) for d in docs}
            for answer in cc.ingest_many(docs):
                if answer.error_code:
                    failed.append(f"{answer.id}: {answer.error_message}")
                else:
                    stored += 1
            print(f"stored {stored} of {len(docs)} articles")
            for story in sorted(stories):
                for fact in cc.search_facts(story, disputed_only=True):
                    values = "; ".join(
                        f"{g.value} ({', '.join(g.sources)})" for g in fact.groups)
                    status = "DISAGREE" if fact.status == 2 else "EVOLVING"
                    print(f"{status} {story} {fact.description}: {values}")
        except CrosscheckError as e:
            print(f"disputed_facts: {e}", file=sys.stderr)
            return 1
    for f in failed:
        print(f"failed {f}")
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
