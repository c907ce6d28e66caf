#!/usr/bin/env python3
"""Recall of Latin-letter queries against the Arabic spellings they must find (issue 17).

Usage: scripts/latin-recall.py --index DIR [--bin target/release/akhbar] LIST.tsv...

Each LIST line is `Latin query<TAB>Arabic forms` (forms separated by `|`; `#` lines are
comments). For each query, through the shipped path (`akhbar search --queries … --run`,
batch mode, every article ranked):
- A = the articles the Arabic forms find (`"form1" OR "form two" OR …`),
- L = the articles the Latin query finds;
recall = |L ∩ A| / |A|. Queries whose forms find nothing in the index are counted apart.
Prints per-list: queries, with a reference, macro and micro recall, queries at full
recall, and where the Arabic came from (`akhbar search --json`'s `parsed` kinds:
latin-name = the list, transliteration = the fallback, none = the Latin as typed only),
then every query under 0.95 and the queries that find most articles beyond their
reference (Latin text, ج/غ twins, transliterations). Deterministic for a given index and binary.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

LIMIT = "1000000"


def read_list(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 2:
                sys.exit(f"{path}:{number}: expected `Latin<TAB>Arabic forms`")
            forms = [f.strip() for f in parts[1].split("|") if f.strip()]
            rows.append((parts[0].strip(), forms))
    return rows


def run(binary, index, queries, tmp, name):
    qfile = os.path.join(tmp, f"{name}.tsv")
    out = os.path.join(tmp, f"{name}.trec")
    with open(qfile, "w", encoding="utf-8") as f:
        for qid, query in enumerate(queries):
            f.write(f"q{qid}\t{query}\n")
    subprocess.run(
        [binary, "search", "--index", index, "--queries", qfile, "--run", out, "--limit", LIMIT],
        check=True, stderr=subprocess.DEVNULL,
    )
    found = collections.defaultdict(set)
    with open(out, encoding="utf-8") as f:
        for line in f:
            qid, _, doc, *_ = line.split()
            found[qid].add(doc)
    return [found.get(f"q{i}", set()) for i in range(len(queries))]


def path_of(binary, index, query):
    out = subprocess.run(
        [binary, "search", "--index", index, "--json", "-n", "1", "--", query],
        check=True, capture_output=True, text=True,
    ).stdout
    kinds = {p["kind"] for p in json.loads(out)["parsed"]}
    for kind in ("latin-name", "transliteration"):
        if kind in kinds:
            return kind
    return "none"


def arabic_query(forms):
    """The forms, each quoted: a quoted word is searched by its terms only (no near
    spellings, which would make a reference of a name the index lacks)."""
    return " OR ".join(f'"{f}"' for f in forms)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    parser.add_argument("--bin", default="target/release/akhbar")
    parser.add_argument("--all", action="store_true", help="print every query's recall")
    parser.add_argument("lists", nargs="+")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for path in args.lists:
            rows = read_list(path)
            latin = run(args.bin, args.index, [r[0] for r in rows], tmp, "latin")
            arabic = run(args.bin, args.index, [arabic_query(r[1]) for r in rows], tmp, "arabic")
            paths = collections.Counter()
            recalls, hit, total, low, extra, beyond = [], 0, 0, [], 0, []
            for (query, forms), l, a in zip(rows, latin, arabic):
                kind = path_of(args.bin, args.index, query)
                if not a:
                    paths[f"{kind} (no reference)"] += 1
                    if args.all:
                        print(f"  -     {query}  [{kind}]  no reference")
                    continue
                paths[kind] += 1
                r = len(l & a) / len(a)
                recalls.append(r)
                hit += len(l & a)
                total += len(a)
                extra += len(l - a)
                beyond.append((len(l - a), query, len(a)))
                if r < 0.95:
                    low.append((r, query, kind, len(a), len(l & a)))
                if args.all:
                    print(f"  {r:.2f}  {query}  [{kind}]  {len(l & a)}/{len(a)} +{len(l - a)}")
            n = len(recalls)
            print(f"== {path}: {len(rows)} queries, {n} with a reference in the index")
            if n:
                full = sum(1 for r in recalls if r >= 0.95)
                print(f"macro recall {sum(recalls) / n:.3f}, micro recall {hit / total:.3f} "
                      f"({hit}/{total} articles), {full}/{n} queries at recall >= 0.95, "
                      f"{extra} articles found beyond the reference")
            print("arabic from: " + ", ".join(f"{k} {v}" for k, v in sorted(paths.items())))
            for r, query, kind, a, both in sorted(low):
                print(f"  {r:.2f}  {query}  [{kind}]  {both}/{a}")
            top = sorted(beyond, key=lambda b: (-b[0], b[1]))[:8]
            print("most articles beyond the reference: " + ", ".join(
                f"{q} +{n} (ref {a})" for n, q, a in top))


if __name__ == "__main__":
    main()
