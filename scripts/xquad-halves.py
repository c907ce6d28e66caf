#!/usr/bin/env python3
"""MRR@10, nDCG@10 and R@100 of TREC runs on XQuAD-ar, all and by halves (issue 13).

The halves split the questions by the Wikipedia article their paragraph comes from:
A = xqar-d000 … d023, B = xqar-d024 … d047 (docs/quality.md). Binary gains, log2
discount, as `akhbar eval` scores. Usage: xquad-halves.py QRELS RUN [RUN...]
"""
import collections
import math
import sys


def read_qrels(path):
    qrels = collections.defaultdict(set)
    for line in open(path, encoding="utf-8"):
        parts = line.split()
        if len(parts) == 4 and int(parts[3]) > 0:
            qrels[parts[0]].add(parts[2])
    return qrels


def read_run(path):
    run = collections.defaultdict(list)
    for line in open(path, encoding="utf-8"):
        qid, _, doc, rank, _score, _tag = line.split()
        run[qid].append((int(rank), doc))
    return {q: [d for _, d in sorted(docs)] for q, docs in run.items()}


def half(docs):
    number = int(sorted(docs)[0].split("-")[1][1:])
    return "A" if number < 24 else "B"


def scores(qrels, run, qids):
    mrr = ndcg = r100 = 0.0
    for q in qids:
        rel = qrels[q]
        ranked = run.get(q, [])
        for i, d in enumerate(ranked[:10]):
            if d in rel:
                mrr += 1 / (i + 1)
                break
        dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:10]) if d in rel)
        ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(rel))))
        ndcg += dcg / ideal
        r100 += len(rel & set(ranked[:100])) / len(rel)
    n = len(qids)
    return mrr / n, ndcg / n, r100 / n


def main():
    qrels = read_qrels(sys.argv[1])
    qids = sorted(qrels)
    halves = {h: [q for q in qids if half(qrels[q]) == h] for h in "AB"}
    print("run\tMRR@10\tnDCG@10\tR@100\tA MRR@10\tB MRR@10\t(A %d q, B %d q)"
          % (len(halves["A"]), len(halves["B"])))
    for path in sys.argv[2:]:
        run = read_run(path)
        m, n, r = scores(qrels, run, qids)
        a = scores(qrels, run, halves["A"])[0]
        b = scores(qrels, run, halves["B"])[0]
        print(f"{path}\t{m:.4f}\t{n:.4f}\t{r:.4f}\t{a:.4f}\t{b:.4f}")


if __name__ == "__main__":
    main()
