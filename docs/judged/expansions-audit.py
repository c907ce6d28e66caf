#!/usr/bin/env python3
"""Precision audit of query expansions (issue 19), on the shipped path.

usage: expansions-audit.py AKHBAR_BIN INDEX_DIR CORPUS.jsonl.gz OUT_DIR [--schema DIR]

1. The 300 title queries of the bench (every (n/300)-th corpus title of three words or
   more, its first two or three words: scripts/identity.sh derives them the same way).
2. Each is searched as a user does: `akhbar search --json -n 10 QUERY` (--match auto).
3. Each hit's passage text and title are analysed with `akhbar analyze --json` (the
   ranked `arabic` analyzer). A typed word matched the hit *only through* an expansion
   when none of its own terms (kinds stem, name, title) is among the hit's terms but a
   term of that expansion kind (segmentation, person, pattern, near-spelling) is.
4. Writes OUT_DIR/matches.tsv (every such match, with the surface form in the passage
   that produced the expansion's term) and OUT_DIR/sample-<kind>.tsv: up to 100 of
   them per kind, drawn with a fixed seed, for judging.
"""
import bisect, gzip, json, random, subprocess, sys
from pathlib import Path

binary, index, corpus, out = sys.argv[1:5]
extra = sys.argv[5:]
out = Path(out)
out.mkdir(parents=True, exist_ok=True)
OWN = {"stem", "name", "title"}
EXPANSIONS = ["segmentation", "person", "pattern", "near-spelling"]

titles = []
with gzip.open(corpus, "rt", encoding="utf-8") as f:
    for line in f:
        try:
            t = json.loads(line).get("title")
        except ValueError:
            continue
        if isinstance(t, str) and len(t.split()) >= 3:
            titles.append(t)
step = max(len(titles) // 300, 1)
queries = []
for i, title in enumerate(titles[::step][:300]):
    words = [w.strip("".join(c for c in set(w) if not c.isalnum())) for w in title.split()]
    words = [w for w in words if w][: 2 + i % 2]
    if words:
        queries.append((f"b{i:03d}", " ".join(words)))
(out / "queries.tsv").write_text("".join(f"{q}\t{t}\n" for q, t in queries))


def analyse(text):
    r = subprocess.run([binary, "analyze", "--json", *extra], input=text.encode(),
                       capture_output=True, check=True)
    return json.loads(r.stdout)


rows = []
for qid, query in queries:
    r = subprocess.run([binary, "search", "--index", index, "--json", "-n", "10", *extra,
                        "--", query], capture_output=True)
    if r.returncode != 0:
        continue
    response = json.loads(r.stdout)
    for hit in response["hits"]:
        text = (hit.get("title") or "") + "\n" + (hit.get("text") or "")
        raw = text.encode()
        tokens = analyse(text)
        terms = {}
        for t in tokens:
            terms.setdefault(t["term"], raw[t["start"]:t["end"]].decode(errors="replace"))
        for word in response["parsed"]:
            searched = word.get("searched", [])
            if any(s["term"] in terms for s in searched if s["kind"] in OWN):
                continue
            for s in searched:
                if s["kind"] in EXPANSIONS and s["term"] in terms:
                    surface = terms[s["term"]]
                    at = text.find(surface)
                    context = text[max(0, at - 60):at + len(surface) + 60].replace("\n", " ").replace("\t", " ")
                    rows.append([s["kind"], qid, query, word["input"], s["term"], surface,
                                 hit["doc_id"], str(hit["passage"]), str(hit["rank"]), context])
                    break
header = "kind\tqid\tquery\tword\texpansion\tsurface\tdoc_id\tpassage\trank\tcontext\n"
(out / "matches.tsv").write_text(header + "".join("\t".join(r) + "\n" for r in rows))
random.seed(19)
for kind in EXPANSIONS:
    these = [r for r in rows if r[0] == kind]
    sample = random.sample(these, min(100, len(these)))
    sample.sort(key=lambda r: (r[3], r[5], r[1]))
    (out / f"sample-{kind}.tsv").write_text(header + "".join("\t".join(r) + "\n" for r in sample))
    print(kind, len(these), "matches,", len(sample), "sampled", file=sys.stderr)
