#!/usr/bin/env python3
"""Recomputes the `source` of every name in index-schema/latin-names.json.

Usage: scripts/latin-sources.py PAIRS.tsv SEEDS_DIR_OR_JSONL [--write]

- mined: one of the name's Latin spellings was found in PAIRS.tsv (the output of
  scripts/mine-latin-pairs.py --min-count 1 over the benchmark corpus) right after one of
  its Arabic spellings (compared normalised, proclitics و ف ب ك ل and the article ال
  allowed before it);
- seed: one of its Arabic spellings occurs in the seed articles (samples/articles.jsonl
  or ../shared/seeds), with the same normalisation;
- hand: neither (written from knowledge of the coverage).

Prints the counts and each change; with --write, rewrites the file in place (one name per
line, the rest of the file untouched). Deterministic.
"""
import json
import os
import re
import sys
import unicodedata

LEXICON = os.path.join(os.path.dirname(__file__), "..", "index-schema", "latin-names.json")
CLITICS = ["وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ك", "ل", ""]


def norm_ar(text):
    text = re.sub(r"[\u064B-\u065F\u0670\u0640]", "", text)
    text = re.sub("[أإآٱ]", "ا", text).replace("ى", "ي").replace("ة", "ه")
    return re.sub(r"[^\u0621-\u064A0-9 ]", " ", text).split()


def latin_key(latin):
    folded = unicodedata.normalize("NFKD", latin)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", folded))


def occurs(words, tokens_set, text_tokens):
    """Whether the word sequence occurs in the token list (first word with a clitic)."""
    if len(words) == 1:
        return any(c + words[0] in tokens_set for c in CLITICS)
    n = len(words)
    for i in range(len(text_tokens) - n + 1):
        first = text_tokens[i]
        if any(first == c + words[0] for c in CLITICS) and text_tokens[i + 1:i + n] == words[1:]:
            return True
    return False


def seed_tokens(path):
    texts = []
    if os.path.isdir(path):
        for name in sorted(os.listdir(path)):
            if name.endswith(".txt"):
                with open(os.path.join(path, name), encoding="utf-8") as f:
                    texts.append(f.read())
    else:
        with open(path, encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                texts.append(f"{record.get('title') or ''}\n{record.get('body') or ''}")
    return norm_ar("\n".join(texts))


def mined_pairs(path):
    pairs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3:
                continue
            forms = [f.rsplit(":", 1)[0] for f in parts[2].split("  ") if f]
            pairs.setdefault(latin_key(parts[1]), []).extend(norm_ar(f) for f in forms)
    return pairs


def source_of(name, pairs, tokens, tokens_set):
    arabic = [norm_ar(a) for a in name["arabic"]]
    for latin in name["latin"]:
        for mined in pairs.get(latin_key(latin), []):
            for words in arabic:
                tail = mined[-len(words):]
                if len(tail) == len(words) and tail[1:] == words[1:] and any(
                    tail[0] == c + words[0] for c in CLITICS
                ):
                    return "mined"
    if any(occurs(words, tokens_set, tokens) for words in arabic if words):
        return "seed"
    return "hand"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        sys.exit(__doc__)
    pairs = mined_pairs(args[0])
    tokens = seed_tokens(args[1])
    tokens_set = set(tokens)
    with open(LEXICON, encoding="utf-8") as f:
        lines = f.read().split("\n")
    counts = {}
    for i, line in enumerate(lines):
        stripped = line.strip().rstrip(",")
        if not stripped.startswith('{"kind"'):
            continue
        name = json.loads(stripped)
        source = source_of(name, pairs, tokens, tokens_set)
        counts[source] = counts.get(source, 0) + 1
        if source != name["source"]:
            print(f"{name['latin'][0]}: {name['source']} -> {source}")
            name["source"] = source
            comma = "," if line.rstrip().endswith(",") else ""
            indent = line[: len(line) - len(line.lstrip())]
            lines[i] = indent + json.dumps(name, ensure_ascii=False) + comma
    print(json.dumps(counts, sort_keys=True))
    if "--write" in sys.argv:
        with open(LEXICON, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))


if __name__ == "__main__":
    main()
