#!/usr/bin/env bash
# Indexing benchmark: akhbar vs plain tantivy on the news corpus, same threads and
# writer memory, each engine in its own process (peak RSS is per engine).
# Usage: scripts/bench-index.sh [CORPUS] [JOBS] [MEMORY_MB]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/news-ar.jsonl.gz}
jobs=${2:-2}
mem=${3:-256}
cargo build --release --locked
target/release/akhbar bench-index --jobs "$jobs" --memory-mb "$mem" "$corpus"
