#!/usr/bin/env python3
"""Scaled copies of a JSON Lines news corpus for scripts/scale.sh, and its 300 title queries.

    scale-corpus.py corpus SOURCE.jsonl[.gz] --copies K --out OUT.jsonl [--seed S]
    scale-corpus.py queries SOURCE.jsonl[.gz] --out QUERIES.tsv [--passes P]

`corpus` writes K copies of SOURCE as one plain JSON Lines file, and OUT.jsonl.json beside
it (counts, parameters, the vocabulary fit). Copy 0 is SOURCE itself, record for record
(same ids, same order, same text). Copy c >= 1 is perturbed, deterministically from
(seed, c), so that term statistics do not simply repeat:

1. ids `<id>-x<c>` (and `#x<c>` after the url), so every copy is a new article;
2. order: SOURCE's order rotated by c * N / 8 records (N = SOURCE's records), so copies
   start at different articles and 2x is a prefix of 4x, which is a prefix of 8x;
3. word swaps: within each outlet, the articles are shuffled and paired; in each pair a
   share (--swap-share, 5%) of the body words of the shorter article (whitespace-separated
   words containing an Arabic letter) is exchanged with as many random words of the other,
   each title word with the same probability with the other title's word at the same
   position. Document frequencies, co-occurrences and lengths change; the outlet's
   vocabulary does not;
4. new words, as a growing corpus brings them (Heaps' law): the vocabulary V(n) of SOURCE
   is measured on seeded random prefixes of n = N/16 ... N articles and fitted as
   V = K n^beta. Copy c must add V(N (c+1)) - V(N c) word forms; they are made from the
   rare forms (one or two occurrences in SOURCE, four Arabic letters or more): a seeded
   share of them is replaced, in every occurrence in copy c, by a variant with one Arabic
   letter inserted inside the word (a new spelling, as new names and typos are).
   About 2-3% of a copy's words change this way.

`queries` writes the 300 queries of benches/query.rs (`derive_queries`): titles with 3
words or more, every (titled/300)-th, its first two or three words (alternately),
trimmed of non-alphanumeric characters; as `qid<TAB>query` lines, repeated --passes
times (qids `p<pass>-q<nnn>`), for `akhbar search --queries`.
"""
import argparse
import gzip
import hashlib
import json
import math
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict

ARABIC = re.compile(r"[\u0621-\u064A]")
ARABIC_LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
SPLIT = re.compile(r"(\s+)")
QUERIES = 300
ROTATION_PARTS = 8


def open_text(path):
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def read_records(path):
    """Every line that parses as a JSON object, in file order (as benches/query.rs); the
    others are counted on stderr (akhbar index would reject them)."""
    out, skipped = [], 0
    with open_text(path) as f:
        for line in f:
            try:
                rec = json.loads(line)
            except ValueError:
                rec = None
            if isinstance(rec, dict):
                out.append(rec)
            elif line.strip():
                skipped += 1
    if skipped:
        print(f"scale-corpus: {path}: {skipped} lines are not JSON objects; skipped",
              file=sys.stderr)
    return out


def words_of(text):
    return [w for w in text.split() if ARABIC.search(w)]


def core(word):
    """The word without leading/trailing punctuation (its form for the vocabulary)."""
    return word.strip("\"'«»“”(),.:;!?،؛؟-[]{}…")


def vocabulary(records, seed):
    """One pass over the articles in a seeded random order: the count of every word form,
    and V(n) at n = N/16 .. N articles, fitted as V = K n^beta (least squares, log-log)."""
    order = list(range(len(records)))
    random.Random(f"{seed}:heaps").shuffle(order)
    counts, points, done = Counter(), [], 0
    marks = {max(1, len(order) * k // 16) for k in (1, 2, 4, 8, 16)}
    for i in order:
        r = records[i]
        for w in words_of((r.get("title") or "") + "\n" + (r.get("body") or "")):
            counts[core(w)] += 1
        done += 1
        if done in marks:
            points.append((done, len(counts)))
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(v) for _, v in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    beta = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return {"points": points, "beta": beta, "k": math.exp(my - beta * mx)}, counts


def stable_unit(*parts):
    """A number in [0, 1) from the parts, the same on every machine and run."""
    h = hashlib.blake2b(":".join(map(str, parts)).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(h, "big") / 2**64


def variant(word, seed, c):
    """The word with one Arabic letter inserted between two of its letters."""
    w = core(word)
    cut = 1 + int(stable_unit(seed, c, w, "pos") * (len(w) - 1))
    letter = ARABIC_LETTERS[int(stable_unit(seed, c, w, "letter") * len(ARABIC_LETTERS))]
    new = w[:cut] + letter + w[cut:]
    return word.replace(w, new, 1)


def new_word_map(rare, wanted, seed, c):
    share = min(1.0, wanted / max(1, len(rare)))
    return {w: variant(w, seed, c) for w in rare if stable_unit(seed, c, w) < share}


def swap_words(a, b, share, rng):
    """Exchange `share` of the shorter text's Arabic words with random words of the other."""
    pa, pb = SPLIT.split(a), SPLIT.split(b)
    ia = [i for i, t in enumerate(pa) if ARABIC.search(t)]
    ib = [i for i, t in enumerate(pb) if ARABIC.search(t)]
    m = int(round(share * min(len(ia), len(ib))))
    if m == 0:
        return a, b
    for i, j in zip(rng.sample(ia, m), rng.sample(ib, m)):
        pa[i], pb[j] = pb[j], pa[i]
    return "".join(pa), "".join(pb)


def swap_titles(a, b, share, rng):
    ta, tb = a.split(" "), b.split(" ")
    for i in range(min(len(ta), len(tb))):
        if rng.random() < share and ARABIC.search(ta[i]) and ARABIC.search(tb[i]):
            ta[i], tb[i] = tb[i], ta[i]
    return " ".join(ta), " ".join(tb)


def perturbed_copy(records, c, args, rare, wanted):
    n = len(records)
    start = c * n // ROTATION_PARTS % n
    copy = [dict(r) for r in records[start:] + records[:start]]
    by_outlet = defaultdict(list)
    for i, r in enumerate(copy):
        by_outlet[str(r.get("outlet"))].append(i)
    for outlet in sorted(by_outlet):
        members = by_outlet[outlet]
        rng = random.Random(f"{args.seed}:{c}:{outlet}")
        rng.shuffle(members)
        for x, y in zip(members[0::2], members[1::2]):
            ra, rb = copy[x], copy[y]
            if isinstance(ra.get("body"), str) and isinstance(rb.get("body"), str):
                ra["body"], rb["body"] = swap_words(ra["body"], rb["body"], args.swap_share, rng)
            if isinstance(ra.get("title"), str) and isinstance(rb.get("title"), str):
                ra["title"], rb["title"] = swap_titles(
                    ra["title"], rb["title"], args.swap_share, rng
                )
    mapping = new_word_map(rare, wanted, args.seed, c)
    changed = total = 0
    for r in copy:
        r["id"] = f"{r.get('id')}-x{c}"
        if isinstance(r.get("url"), str):
            r["url"] = f"{r['url']}#x{c}"
        for field in ("title", "body"):
            text = r.get(field)
            if not isinstance(text, str):
                continue
            parts = SPLIT.split(text)
            for i, t in enumerate(parts):
                if i % 2:
                    continue
                total += 1
                new = mapping.get(core(t))
                if new is not None:
                    parts[i] = new if core(t) == t else t.replace(core(t), new, 1)
                    changed += 1
            r[field] = "".join(parts)
    return copy, {"copy": c, "rotation": start, "new_forms": len(mapping),
                  "words": total, "words_changed_to_new_forms": changed}


def cmd_corpus(args):
    records = read_records(args.source)
    fit, counts, rare = None, {}, []
    if args.copies > 1:  # copy 0 alone is SOURCE as it is: no vocabulary needed
        fit, counts = vocabulary(records, args.seed)
        rare = sorted(w for w, n in counts.items() if n <= 2 and len(ARABIC.findall(w)) >= 4)
    n = len(records)
    v = lambda articles: fit["k"] * articles ** fit["beta"]
    copies, text_bytes = [], 0
    with open(args.out, "w", encoding="utf-8") as out:
        for c in range(args.copies):
            if c == 0:
                batch, info = records, {"copy": 0, "rotation": 0, "new_forms": 0}
            else:
                wanted = v(n * (c + 1)) - v(n * c)
                batch, info = perturbed_copy(records, c, args, rare, wanted)
                info["new_forms_wanted"] = round(wanted)
            for r in batch:
                text_bytes += len((r.get("title") or "").encode()) + len(
                    (r.get("body") or "").encode()
                )
                out.write(json.dumps(r, ensure_ascii=False) + "\n")
            copies.append(info)
            print(f"scale-corpus: copy {c}: {json.dumps(info)}", file=sys.stderr)
    meta = {
        "source": args.source, "copies": args.copies, "seed": args.seed,
        "swap_share": args.swap_share, "records": n * args.copies,
        "text_bytes": text_bytes, "vocabulary_1x": len(counts) or None,
        "rare_forms_1x": len(rare) or None,
        "heaps": fit, "per_copy": copies,
    }
    with open(args.out + ".json", "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=1)
    print(f"scale-corpus: wrote {args.out} ({meta['records']} records, "
          f"{text_bytes / 1e6:.0f} MB of text"
          + (f"; Heaps beta {fit['beta']:.3f})" if fit else ")"), file=sys.stderr)


def rust_alnum(ch):
    """Rust's char::is_alphanumeric: Alphabetic (which includes the Arabic harakat,
    Other_Alphabetic) or Numeric."""
    if ch.isalnum():
        return True
    return unicodedata.category(ch) == "Mn" and ("\u064b" <= ch <= "\u0657" or ch == "\u0670")


def trim(word):
    i, j = 0, len(word)
    while i < j and not rust_alnum(word[i]):
        i += 1
    while j > i and not rust_alnum(word[j - 1]):
        j -= 1
    return word[i:j]


def cmd_queries(args):
    titled = [r["title"] for r in read_records(args.source)
              if isinstance(r.get("title"), str) and len(r["title"].split()) >= 3]
    step = max(1, len(titled) // QUERIES)
    queries = []
    for i, title in enumerate(titled[::step][:QUERIES]):
        words = [w for w in (trim(w) for w in title.split()) if w][: 2 + i % 2]
        if words:
            queries.append(" ".join(words))
    with open(args.out, "w", encoding="utf-8") as f:
        for p in range(args.passes):
            for i, q in enumerate(queries):
                f.write(f"p{p}-q{i:03d}\t{q}\n")
    print(f"scale-corpus: wrote {args.out} ({len(queries)} queries x {args.passes} passes)",
          file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("corpus")
    c.add_argument("source")
    c.add_argument("--copies", type=int, required=True)
    c.add_argument("--out", required=True)
    c.add_argument("--seed", type=int, default=16)
    c.add_argument("--swap-share", type=float, default=0.05)
    q = sub.add_parser("queries")
    q.add_argument("source")
    q.add_argument("--out", required=True)
    q.add_argument("--passes", type=int, default=1)
    args = ap.parse_args()
    if args.cmd == "corpus" and args.copies < 1:
        ap.error("--copies must be at least 1")
    try:
        cmd_corpus(args) if args.cmd == "corpus" else cmd_queries(args)
    except (OSError, EOFError, UnicodeDecodeError) as e:
        sys.exit(f"scale-corpus: {e}")


if __name__ == "__main__":
    main()
