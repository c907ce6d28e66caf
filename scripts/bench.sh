#!/usr/bin/env bash
# Every akhbar benchmark in one command. Each figure is printed next to its baseline
# (tantivy's default tokenizer, SimpleTokenizer + LowerCaser + Stemmer(Arabic)) measured
# in the same run, on the same machine. CI does not run this; anyone can.
#
#   scripts/bench.sh            # everything (about 10 minutes on 2 cores)
#   scripts/bench.sh --quick    # skip the 70,000-article distractor evaluation
#
# Reads ../shared (override with AKHBAR_SHARED=DIR): corpus/news-ar-sample.jsonl.gz,
# corpus/news-ar.jsonl.gz and eval/xquad-ar/. Builds with --release first.
#
# Sections (each is skipped with a note when its input or bench file is missing):
#   1. analyzer throughput   cargo bench --bench analyzer          (benches/analyzer.rs)
#   2. indexing throughput   akhbar bench-index (src/cli/bench.rs; also scripts/bench-index.sh)
#   3. query latency         cargo bench --bench query             (benches/query.rs)
#   4. retrieval quality     akhbar eval on XQuAD-ar, alone and among the news corpus
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0
for arg in "$@"; do
    case "$arg" in
        --quick) QUICK=1 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "bench.sh: unknown argument $arg" >&2; exit 2 ;;
    esac
done
SHARED=${AKHBAR_SHARED:-../shared}
XQUAD="$SHARED/eval/xquad-ar"
CORPUS="$SHARED/corpus/news-ar.jsonl.gz"

section() { printf '\n== %s\n' "$*"; }
have_bench() { [ -f "benches/$1.rs" ]; }

section "build (release)"
cargo build --release --quiet
BIN=target/release/akhbar

section "1. analyzer throughput (akhbar analyzers vs default and snowball_ar)"
if have_bench analyzer; then
    cargo bench --quiet --bench analyzer
else
    echo "skipped: benches/analyzer.rs not found"
fi

section "2. indexing throughput and memory (akhbar with and without group tagging vs plain tantivy)"
if [ -f "$CORPUS" ]; then
    "$BIN" bench-index --jobs 2 --memory-mb 256 "$CORPUS"
else
    echo "skipped: $CORPUS not found"
fi

section "3. query latency (akhbar batch and interactive vs plain tantivy, same queries)"
if have_bench query; then
    cargo bench --quiet --bench query
else
    echo "skipped: benches/query.rs not found"
fi

section "4. retrieval quality: XQuAD-ar dev set (MRR@10, nDCG@10, R@10, R@100)"
if [ -f "$XQUAD/qrels.tsv" ]; then
    EVAL=(--passages "$XQUAD/passages.jsonl" --queries "$XQUAD/queries.tsv" --qrels "$XQUAD/qrels.tsv")
    echo "-- alone (240 passages); reference MRR@10: default 0.863, snowball 0.918, Lucene 0.922, FTS5 0.871; target >= 0.95"
    "$BIN" eval "${EVAL[@]}"
    if [ "$QUICK" = 1 ]; then
        echo "-- with distractors: skipped (--quick)"
    elif [ -f "$CORPUS" ]; then
        echo "-- with $CORPUS as distractors; reference MRR@10: default 0.758, snowball 0.803, Lucene 0.802, FTS5 0.763; target >= 0.85"
        "$BIN" eval "${EVAL[@]}" --distractors "$CORPUS"
    else
        echo "-- with distractors: skipped ($CORPUS not found)"
    fi
else
    echo "skipped: $XQUAD not found"
fi
