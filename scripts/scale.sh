#!/usr/bin/env bash
# The measured ceiling of one akhbar node: index and query the news corpus at 1x and 2x
# its size (4x and 8x on request) with the shipped commands, and print one table.
# Results and the method: docs/scale.md. CI does not run this.
#
#   scripts/scale.sh               # 1x and 2x, 3 runs each (6-7 minutes on 2 cores, 5 once
#                                  # the corpora exist in the scratch directory)
#   scripts/scale.sh --4x --8x     # also 4x and 8x (560,000 articles; about 25 minutes more)
#   scripts/scale.sh --sizes 1     # only 1x (e.g. to re-measure the spread at the end)
#   scripts/scale.sh --repeat 5    # runs per measurement (medians are quoted)
#   scripts/scale.sh --serve-only --sizes 1,8   # only the server figures (each size's index
#                                  # is built once when missing, not measured)
#
# Environment: AKHBAR_SHARED (default ../shared), AKHBAR_SCALE_SOURCE (the 1x corpus;
# default $AKHBAR_SHARED/corpus/news-ar.jsonl.gz), AKHBAR_SCALE_DIR (scratch directory for
# the generated corpora, indexes and raw results; default /tmp/akhbar-scale; never the
# repository), AKHBAR_SCALE_RT=0 to run without `chrt -f 50` (default: real-time
# priority when possible: the machine is shared).
#
# Per size: the corpus (scripts/scale-corpus.py: copies with distinct ids, rotated order,
# words swapped between articles of one outlet, new word forms by Heaps' law; cached in
# the scratch directory), then `repeat` times each:
#   index   /usr/bin/time -v akhbar index --jobs 2 --memory-mb 256  (wall, CPU, peak RSS,
#           MB/s from akhbar's own summary, size on disk per file kind, segments)
#   batch   akhbar search --queries (the 300 title queries x 5 passes) --run --limit 100:
#           its own p50/p95/p99 line; RSS of the process sampled from /proc (its largest sample: after warm-up)
#   bench   cargo bench --bench query's binary on the same index: batch and interactive
#           p50/p95/p99, and plain tantivy's on the 1x corpus as the same-run noise reference
#   serve   once per size: `akhbar serve` on the index, one warm-up pass over the queries,
#           then wrk (2 threads, 16 connections, 15 s, the queries in rotation) on
#           /api/v1/search (the default request: facets, snippets, stories), both under chrt
# Raw results: $AKHBAR_SCALE_DIR/results.jsonl; summary: scripts/scale-report.py.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=(1 2)
REPEAT=3
SERVE_ONLY=0
while [ $# -gt 0 ]; do
    case "$1" in
        --4x) SIZES+=(4) ;;
        --8x) SIZES+=(8) ;;
        --sizes) IFS=, read -r -a SIZES <<<"${2:?--sizes needs a list such as 1,2,4}"; shift ;;
        --repeat) REPEAT=${2:?--repeat needs a number}; shift ;;
        --serve-only) SERVE_ONLY=1 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "scale.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
for k in "${SIZES[@]}"; do
    [[ "$k" =~ ^[1-9][0-9]*$ ]] || { echo "scale.sh: size '$k' is not a whole number" >&2; exit 2; }
done
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || { echo "scale.sh: --repeat '$REPEAT' is not a number" >&2; exit 2; }

SHARED=${AKHBAR_SHARED:-../shared}
SOURCE=${AKHBAR_SCALE_SOURCE:-$SHARED/corpus/news-ar.jsonl.gz}
SCRATCH=${AKHBAR_SCALE_DIR:-/tmp/akhbar-scale}
RESULTS="$SCRATCH/results.jsonl"
[ -f "$SOURCE" ] || { echo "scale.sh: $SOURCE not found (set AKHBAR_SHARED)" >&2; exit 2; }
case "$(realpath -m "$SCRATCH")/" in
    "$(realpath .)"/*) echo "scale.sh: AKHBAR_SCALE_DIR must be outside the repository" >&2; exit 2 ;;
esac
mkdir -p "$SCRATCH"
for tool in /usr/bin/time python3; do
    command -v "$tool" >/dev/null || { echo "scale.sh: $tool is required" >&2; exit 2; }
done
RT=()
if [ "${AKHBAR_SCALE_RT:-1}" = 1 ] && chrt -f 50 true 2>/dev/null; then
    RT=(chrt -f 50)
else
    echo "scale.sh: running without real-time priority (chrt -f 50 unavailable or disabled)" >&2
fi

log() { printf '\n== %s\n' "$*" >&2; }
machine() {
    printf '%s, %s cores, %s GB RAM, load %s' "$(uname -srm)" "$(nproc)" \
        "$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)" \
        "$(cut -d' ' -f1-3 /proc/loadavg)"
}

log "build (release binary and the query bench; not under chrt)"
cargo build --release --quiet
BIN=$(realpath target/release/akhbar)
BENCH=$(cargo bench --bench query --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == "query":
        print(m["executable"])')
[ -x "$BENCH" ] || { echo "scale.sh: could not build benches/query.rs" >&2; exit 2; }

QUERIES="$SCRATCH/queries.tsv"
python3 scripts/scale-corpus.py queries "$SOURCE" --out "$QUERIES" --passes 5
mkdir -p "$SCRATCH/plain-1x"
COMMIT=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src benches index-schema || echo "+dirty")
echo "{\"step\":\"start\",\"commit\":\"$COMMIT\",\"machine\":\"$(machine)\",\"sizes\":\"${SIZES[*]}\",\"repeat\":$REPEAT,\"rt\":\"${RT[*]}\",\"date\":\"$(date -u +%FT%TZ)\"}" >>"$RESULTS"

corpus_for() { # size -> path of the generated corpus (made once, reused while unchanged)
    local k=$1 out="$SCRATCH/corpus-${1}x.jsonl"
    if ! python3 scripts/scale-report.py corpus-ok "$out.json" "$k" "$SOURCE"; then
        log "corpus ${k}x: generating $out"
        python3 scripts/scale-corpus.py corpus "$SOURCE" --copies "$k" --out "$out" >&2
    fi
    echo "$out"
}

measure_index() { # size run corpus index
    local k=$1 run=$2 corpus=$3 idx=$4 tv="$SCRATCH/time.txt" out
    rm -rf "$idx"
    sync
    out=$("${RT[@]}" /usr/bin/time -v -o "$tv" "$BIN" index --index "$idx" --jobs 2 --memory-mb 256 "$corpus" 2>"$SCRATCH/index.err") || {
        [ $? -eq 1 ] || { cat "$SCRATCH/index.err" >&2; exit 1; } # 1 = some records rejected
    }
    echo "$out" >&2
    "$BIN" stats --index "$idx" --json >"$SCRATCH/stats.json"
    python3 scripts/scale-report.py index-record "$k" "$run" "$tv" "$out" "$SCRATCH/stats.json" "$idx" >>"$RESULTS"
}

measure_batch() { # size run index: akhbar search --run, RSS sampled while it runs
    # Keeps the sample with the largest VmRSS: the last one may catch the process unmapping
    # its index on the way out.
    local k=$1 run=$2 idx=$3 pid best="" best_kb=0 line kb
    "${RT[@]}" "$BIN" search --index "$idx" --queries "$QUERIES" --run "$SCRATCH/run.trec" --limit 100 \
        2>"$SCRATCH/batch.err" &
    pid=$!
    while line=$(grep -E '^(VmRSS|VmHWM|RssAnon|RssFile):' "/proc/$pid/status" 2>/dev/null | tr -s ' \t' ' ' | tr '\n' ';'); do
        kb=$(sed -n 's/.*VmRSS: \([0-9]*\) kB.*/\1/p' <<<"$line")
        if [ -n "$kb" ] && [ "$kb" -ge "$best_kb" ]; then best=$line; best_kb=$kb; fi
        sleep 0.05
    done
    wait "$pid" || { cat "$SCRATCH/batch.err" >&2; exit 1; }
    python3 scripts/scale-report.py batch-record "$k" "$run" "$(tail -n 1 "$SCRATCH/batch.err")" "$best" >>"$RESULTS"
}

measure_bench() { # size run index: the query bench on this index, the 1x corpus' queries
    local k=$1 run=$2 idx=$3 work="$SCRATCH/bench-${1}x" out
    mkdir -p "$work"
    ln -sfn "$idx" "$work/akhbar"
    ln -sfn "$SCRATCH/plain-1x" "$work/plain"
    out=$("${RT[@]}" "$BENCH" --bench "$SOURCE" --keep "$work")
    echo "$out" >&2
    python3 scripts/scale-report.py bench-record "$k" "$run" "$out" >>"$RESULTS"
}

# ---- server hook (issue 15). Until `akhbar serve` exists this only says so. ----------
# When it exists: serve the index on a free loopback port, wait for /readyz, and drive
# /api/v1/search with wrk (2 threads, 16 connections, 15 s, the 300 queries in rotation),
# as issue 15 measures; records requests/s and p99.
measure_serve() { # size index
    local k=$1 idx=$2 port=18716 pid lua="$SCRATCH/queries.lua" out
    command -v wrk >/dev/null || { echo "scale.sh: server figures skipped: wrk not installed" >&2; return 0; }
    python3 scripts/scale-report.py wrk-script "$QUERIES" >"$lua"
    "${RT[@]}" "$BIN" serve --index "$idx" --listen "127.0.0.1:$port" >"$SCRATCH/serve.log" 2>&1 &
    pid=$!
    for _ in $(seq 150); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
    # Warm-up: one pass over the queries (the figures are of a warm server).
    python3 -c 'import re,sys; print("\n".join(re.findall(r"\"(/api/[^\"]*)\"", open(sys.argv[1]).read())))' "$lua" |
        while read -r path; do curl -s -o /dev/null "http://127.0.0.1:$port$path"; done
    out=$("${RT[@]}" wrk -t2 -c16 -d15s --latency -s "$lua" "http://127.0.0.1:$port" || true)
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "$out" >&2
    python3 scripts/scale-report.py serve-record "$k" "$out" >>"$RESULTS"
}

started=$(date +%s)
for k in "${SIZES[@]}"; do
    corpus=$(corpus_for "$k")
    idx="$SCRATCH/index-${k}x"
    if [ "$SERVE_ONLY" = 1 ]; then
        if [ ! -f "$idx/CURRENT" ]; then
            log "${k}x: index (for the server figures; not measured)"
            "$BIN" index --index "$idx" --jobs 2 --memory-mb 256 "$corpus" >/dev/null 2>"$SCRATCH/index.err"
        fi
    else
        for run in $(seq "$REPEAT"); do
            log "${k}x run $run/$REPEAT: index"
            measure_index "$k" "$run" "$corpus" "$idx"
            log "${k}x run $run/$REPEAT: batch (akhbar search --run)"
            measure_batch "$k" "$run" "$idx"
            log "${k}x run $run/$REPEAT: query bench"
            measure_bench "$k" "$run" "$idx"
        done
    fi
    log "${k}x: server"
    measure_serve "$k" "$idx"
done
echo "{\"step\":\"end\",\"seconds\":$(($(date +%s) - started)),\"machine\":\"$(machine)\"}" >>"$RESULTS"
log "summary (medians of $REPEAT runs; raw: $RESULTS)"
python3 scripts/scale-report.py summary "$RESULTS"
