#!/usr/bin/env python3
"""Stems that keep their root (issue 13 part 4): the audit list and the corpus rule.

usage: stems-audit.py AKHBAR_BIN CORPUS.jsonl.gz SCHEMA_DIR OUT_DIR [--write-lexicon]

Counts the words of the corpus (Arabic letters, diacritics and tatweel removed), then
1. OUT_DIR/stems-top3000.tsv: of the 3,000 most frequent words, every bare word (no
   article) whose stem differs from the stem of its definite form (ال + word), or that
   begins with ب ل ك ف and loses that letter; with the stems (`akhbar analyze`, the
   ranked `arabic` analyzer of SCHEMA_DIR) and the corpus evidence of the bare form: how
   often the rest without the first letter is seen, bare or with ال.
2. The corpus rule (`lexicon.json` → `proclitic_initial_corpus.evidence`): a word that
   begins with ب ل ك ف (not an article combination: بال كال فال لل) keeps that letter
   when it is seen at least min_count times and at least min_ratio times as often as its
   rest (+1). OUT_DIR/proclitic-initial-corpus.json lists every corpus word the rule keeps
   whole and the stemmer (with that list emptied) would cut; --write-lexicon writes it
   into SCHEMA_DIR/lexicon.json.
"""
import bisect, collections, gzip, json, re, shutil, subprocess, sys, tempfile
from pathlib import Path

binary, corpus, schema, out = sys.argv[1:5]
write = "--write-lexicon" in sys.argv
out = Path(out)
out.mkdir(parents=True, exist_ok=True)
lexicon_path = Path(schema) / "lexicon.json"
lexicon = json.loads(lexicon_path.read_text())
evidence = lexicon["proclitic_initial_corpus"]["evidence"]
min_count, min_ratio = evidence["min_count"], evidence["min_ratio"]

counts = collections.Counter()
with gzip.open(corpus, "rt", encoding="utf-8") as f:
    for line in f:
        d = json.loads(line)
        text = (d.get("title") or "") + " " + (d.get("body") or "")
        for w in re.findall(r"[\u0621-\u064A\u0671-\u06D3]+", text):
            w = re.sub(r"[\u064B-\u0652\u0640]", "", w)
            if len(w) >= 2:
                counts[w] += 1

# The stemmer without the generated list, to see what it cuts.
plain = Path(tempfile.mkdtemp()) / "schema"
shutil.copytree(schema, plain)
plain_lexicon = json.loads((plain / "lexicon.json").read_text())
plain_lexicon["proclitic_initial_corpus"]["words"] = []
(plain / "lexicon.json").write_text(json.dumps(plain_lexicon, ensure_ascii=False))


def stems(words, schema_dir):
    """The ranked terms of each word (one word per line), as one string each."""
    text = "\n".join(words)
    r = subprocess.run([binary, "analyze", "--json", "--schema", str(schema_dir)],
                       input=text.encode(), capture_output=True, check=True)
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w.encode()) + 1
    found = [[] for _ in words]
    for tok in json.loads(r.stdout):
        found[bisect.bisect_right(starts, tok["start"]) - 1].append(tok["term"])
    return [" ".join(t) for t in found]


def rest_count(w):
    return counts.get(w[1:], 0) + counts.get("ال" + w[1:], 0)


def proclitic_candidate(w):
    return (w[0] in "بلكف" and len(w) >= 4
            and not w.startswith(("لل", "بال", "كال", "فال")))


def kept(w):
    return counts[w] >= min_count and counts[w] >= min_ratio * (rest_count(w) + 1)


# 1. The rule's list: corpus words it keeps whole that the plain stemmer cuts.
candidates = sorted(w for w in counts if proclitic_candidate(w) and kept(w))
cut = [w for w, s in zip(candidates, stems(candidates, plain)) if s and s[0] != w[0]]
(out / "proclitic-initial-corpus.json").write_text(json.dumps(cut, ensure_ascii=False, indent=0))
print(f"{len(candidates)} words pass the rule; {len(cut)} of them were cut", file=sys.stderr)
if write:
    # Only the list's line changes: the rest of the file keeps its layout.
    text = lexicon_path.read_text()
    at = text.index('"proclitic_initial_corpus"')
    start = text.index('"words": [', at)
    end = text.index("]", start) + 1
    words = json.dumps(cut, ensure_ascii=False)
    lexicon_path.write_text(text[:start] + '"words": ' + words + text[end:])

# 2. The top 3,000: before (plain) and after (SCHEMA_DIR as it is now).
top = [w for w, _ in counts.most_common(3000) if not w.startswith("ال")]
before, before_def = stems(top, plain), stems(["ال" + w for w in top], plain)
after, after_def = stems(top, schema), stems(["ال" + w for w in top], schema)
rows, changed = [], 0
for w, b, bd, a, ad in zip(top, before, before_def, after, after_def):
    lost = proclitic_candidate(w) and b and b[0] != w[0]
    if (b and b != bd) or lost:
        rows.append([w, str(counts[w]), str(rest_count(w)), b, bd, a, ad,
                     "kept" if kept(w) and proclitic_candidate(w) else "-"])
    changed += a != b
header = "word\tcount\trest_count\tstem_before\tdefinite_before\tstem_after\tdefinite_after\trule\n"
(out / "stems-top3000.tsv").write_text(header + "".join("\t".join(r) + "\n" for r in rows))
print(f"{len(top)} bare words of the top 3000; {len(rows)} listed; {changed} changed stem",
      file=sys.stderr)
