#!/usr/bin/env python3
"""How many of the top 10 articles of group-name queries are about the group, by the
judged lists docs/judged/wagner.tsv and docs/judged/jnim.tsv (every corpus article that
a tag or any spelling of the group's names touches, labelled by reading: docs/groups.md).

Usage: scripts/group-top10.py --index DIR [--bin target/release/akhbar]

Each query goes through the shipped path (`akhbar search --json -n 10`); a hit outside
the judged list counts as unjudged (`?`), never as about.
"""
import argparse
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
QUERIES = [
    ("wagner", "فاغنر"),
    ("wagner", "فاجنر"),
    ("wagner", "Wagner"),
    ("wagner", "مجموعة فاغنر"),
    ("wagner", '"فاغنر"'),
    ("wagner", "فاغنر OR فاجنر"),
    ("jnim", "نصرة الإسلام"),
    ("jnim", "JNIM"),
    ("jnim", "جماعة نصرة الإسلام والمسلمين"),
]


def judged(group):
    labels = {}
    for line in open(ROOT / "docs" / "judged" / f"{group}.tsv", encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        article, label = line.rstrip("\n").split("\t")[:2]
        labels[article] = label
    return labels


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", required=True)
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "akhbar"))
    args = ap.parse_args()
    lists = {g: judged(g) for g in {g for g, _ in QUERIES}}
    for group, query in QUERIES:
        run = subprocess.run(
            [args.bin, "search", "--index", args.index, "--json", "-n", "10", query],
            capture_output=True, text=True,
        )
        if run.returncode != 0:
            sys.exit(f"{query}: akhbar search failed: {run.stderr.strip()}")
        hits = json.loads(run.stdout)["hits"]
        labels = [lists[group].get(h["doc_id"], "?") for h in hits]
        about = labels.count("about")
        marks = " ".join("a" if x == "about" else ("n" if x == "not" else "?") for x in labels)
        print(f"{query}\t{group}\tabout {about}/{len(hits)}\tunjudged {labels.count('?')}\t{marks}")


if __name__ == "__main__":
    main()
