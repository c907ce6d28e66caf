#!/usr/bin/env python3
"""Mines `Arabic (Latin)` pairs from a news corpus: an Arabic name of one to four words
followed by its Latin form in parentheses, as outlets write a foreign name the first
time (`باماكو (Bamako)`, `وول ستريت جورنال (Wall Street Journal)`).

Usage: scripts/mine-latin-pairs.py CORPUS.jsonl[.gz]... [--min-count N] [--tsv OUT]

Prints one line per Latin form: count, the Latin form as written most often, and the
up to four Arabic words seen before it (the 20 most frequent) with their counts (proclitics و ب ل ف ك and the article
are kept as written: the lexicon is written by a person who reads them). Deterministic:
sorted by count, then by the Latin form. The output is a worksheet for
index-schema/latin-names.json (entries taken from it have "source": "mined"), not data
the program reads; corpus text is not copied into the repository.
"""
import argparse
import collections
import gzip
import json
import re
import sys
import unicodedata

ARABIC_WORD = r"[\u0621-\u064A\u0660-\u0669\u0671-\u06D3\u0640\u064B-\u065F\u0670]+"
# "(Latin words)" with letters, spaces, - ' . &; then the Arabic words just before it.
LATIN = re.compile(r"[(（]\s*([A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’.\- &]{1,48}[A-Za-zÀ-ÿ.])\s*[)）]")
BEFORE = re.compile(r"((?:" + ARABIC_WORD + r"\s+){0,3}" + ARABIC_WORD + r")\s*$")
HARAKAT = re.compile(r"[\u064B-\u065F\u0670\u0640]")


def open_any(path):
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def latin_key(latin):
    folded = unicodedata.normalize("NFKD", latin)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", folded))


def strip_marks(arabic):
    """The Arabic words before the parenthesis, without diacritics and tatweel."""
    return " ".join(HARAKAT.sub("", arabic).split())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--tsv")
    args = parser.parse_args()
    latin_forms = collections.defaultdict(collections.Counter)
    arabic_forms = collections.defaultdict(collections.Counter)
    for path in args.inputs:
        with open_any(path) as lines:
            for number, line in enumerate(lines, 1):
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as err:
                    print(f"{path}:{number}: skipped: {err}", file=sys.stderr)
                    continue
                text = f"{record.get('title') or ''}\n{record.get('body') or ''}"
                for found in LATIN.finditer(text):
                    before = BEFORE.search(text, max(0, found.start() - 120), found.start())
                    if not before:
                        continue
                    arabic, latin = before.group(1), found.group(1)
                    key = latin_key(latin)
                    if not key or len(key) < 2:
                        continue
                    latin_forms[key][latin.strip()] += 1
                    arabic_forms[key][strip_marks(arabic)] += 1
    rows = []
    for key, forms in latin_forms.items():
        total = sum(forms.values())
        if total < args.min_count:
            continue
        written = forms.most_common(1)[0][0]
        arabic = arabic_forms[key].most_common(20)
        rows.append((total, key, written, arabic))
    rows.sort(key=lambda r: (-r[0], r[1]))
    out = open(args.tsv, "w", encoding="utf-8") if args.tsv else sys.stdout
    for total, key, written, arabic in rows:
        shown = "  ".join(f"{a}:{n}" for a, n in arabic)
        print(f"{total}\t{written}\t{shown}", file=out)


if __name__ == "__main__":
    main()
