#!/usr/bin/env python3
"""nDCG@10 of TREC runs against docs/judged/interactive-qrels.tsv (issue 13 part 3).

The runs come from the shipped search path with interactive matching, e.g.
  akhbar search --index IDX --queries Q.tsv --run RUN.trec --match auto --limit 10
Usage: interactive-ndcg.py QRELS RUN [RUN...]. Gains 2^grade - 1, log2 discount;
queries without a relevant article in the judged pool are left out (and listed).
"""
import collections
import math
import sys


def read_qrels(path):
    qrels = collections.defaultdict(dict)
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        qid, _, doc, grade = line.split()
        qrels[qid][doc] = int(grade)
    return qrels


def read_run(path):
    run = collections.defaultdict(list)
    for line in open(path, encoding="utf-8"):
        qid, _, doc, rank, _score, _tag = line.split()
        run[qid].append((int(rank), doc))
    return {q: [d for _, d in sorted(docs)] for q, docs in run.items()}


def ndcg(ranked, judged, k=10):
    gain = lambda g: (2**g) - 1
    dcg = sum(gain(judged.get(d, 0)) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(judged.values(), reverse=True)[:k]
    idcg = sum(gain(g) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else None


def main():
    qrels = read_qrels(sys.argv[1])
    scored = [q for q, j in qrels.items() if any(g > 0 for g in j.values())]
    print("left out (nothing relevant judged):", " ".join(sorted(set(qrels) - set(scored))))
    for path in sys.argv[2:]:
        run = read_run(path)
        values = {q: ndcg(run.get(q, []), qrels[q]) for q in scored}
        empty = sum(1 for q in scored if not run.get(q))
        mean = sum(values.values()) / len(values)
        print(f"{path}: nDCG@10 {mean:.4f} over {len(values)} queries ({empty} with no result)")
        for prefix in ("s", "c"):
            part = [v for q, v in values.items() if q.startswith(prefix)]
            if part:
                print(f"  {prefix}*: {sum(part) / len(part):.4f} over {len(part)}")


if __name__ == "__main__":
    main()
