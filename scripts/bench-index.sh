#!/usr/bin/env bash
# Indexing benchmark: akhbar vs plain tantivy vs Lucene's ArabicAnalyzer
# (scripts/lucene/) on the news corpus, same threads and writer memory, each engine in
# its own process (peak RSS is per engine), RUNS alternating runs and their medians.
# Usage: scripts/bench-index.sh [CORPUS] [JOBS] [MEMORY_MB] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/news-ar.jsonl.gz}
jobs=${2:-2}
mem=${3:-256}
runs=${4:-3}
cargo build --release --locked
# Real-time priority where allowed (root), so the other load on the machine counts less.
prio=()
if chrt -f 50 true 2>/dev/null; then prio=(chrt -f 50); fi
"${prio[@]}" target/release/akhbar bench-index --jobs "$jobs" --memory-mb "$mem" --runs "$runs" "$corpus"
