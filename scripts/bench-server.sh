#!/usr/bin/env bash
# HTTP benchmark of `akhbar serve` next to tantivy-cli's `serve`, in one run (issue 15).
#
#   scripts/bench-server.sh [CORPUS] [WORKDIR]
#
# CORPUS defaults to ../shared/corpus/news-ar.jsonl.gz, WORKDIR to /work/idx/server.
# Needs wrk (Debian package `wrk`) and tantivy-cli (`cargo install tantivy-cli --root
# WORKDIR/tantivy-cli`; the script installs it there when missing). CI does not run it.
#
# 1. Indexes all but the last 5,000 articles with `akhbar index` (WORKDIR/bench-index),
#    and every article into a tantivy-cli index (default tokenizer, title and body
#    stored) — the same articles akhbar holds after step 4.
# 2. Derives the 300 title queries of benches/query.rs (every n-th title with three
#    words or more, its first two or three words, alternately).
# 3. wrk, 2 threads, 16 connections, 15 s, the 300 queries in rotation (a Lua script):
#    tantivy-cli `serve` (/api?q=…&nhits=10), then akhbar (/api/v1/search?q=…: top 10
#    articles collapsed from passages, outlet/group/month counts over the whole result
#    set, snippets and highlights).
# 4. The same akhbar run while `akhbar index` adds the last 5,000 articles: errors, p99,
#    and the seconds from the commit (the generation's meta.json written) until the
#    server reports the new article count.
# Prints requests/s, p50, p99, errors and the server's peak RSS (VmHWM).
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${1:-../shared/corpus/news-ar.jsonl.gz}
WORK=${2:-/work/idx/server}
BATCH=5000
DURATION=${DURATION:-15s}
RT="chrt -f 50"
command -v chrt >/dev/null && [ "$(id -u)" = 0 ] || RT=""
command -v wrk >/dev/null || { echo "bench-server: wrk is required (apt-get install wrk)" >&2; exit 2; }
mkdir -p "$WORK"
cargo build --release --locked
AKHBAR=$PWD/target/release/akhbar
TCLI=$WORK/tantivy-cli/bin/tantivy
# SKIP_TANTIVY=1 leaves the baseline out (say so next to any figure).
SKIP_TANTIVY=${SKIP_TANTIVY:-0}
if [ "$SKIP_TANTIVY" != 1 ] && [ ! -x "$TCLI" ]; then
    # Not --locked: its lock file pins traitobject 0.1.0, which no longer compiles.
    cargo install tantivy-cli --root "$WORK/tantivy-cli"
fi

# --- data: base (all but the last BATCH), batch (the last BATCH), queries, Lua scripts.
python3 - "$CORPUS" "$WORK" "$BATCH" <<'EOF'
import gzip, json, sys, urllib.parse
corpus, work, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
opener = gzip.open if corpus.endswith(".gz") else open
records = [json.loads(l) for l in opener(corpus, "rt", encoding="utf-8") if l.strip()]
with open(f"{work}/bench-base.jsonl", "w") as base, open(f"{work}/bench-batch.jsonl", "w") as rest:
    for i, r in enumerate(records):
        (base if i < len(records) - batch else rest).write(json.dumps(r, ensure_ascii=False) + "\n")
with open(f"{work}/bench-tantivy-docs.jsonl", "w") as out:
    for r in records:
        out.write(json.dumps({"title": r.get("title") or "", "body": r.get("body") or ""}, ensure_ascii=False) + "\n")
# benches/query.rs derive_queries: every n-th title of >= 3 words, first 2 or 3 words.
titled = [r["title"] for r in records if isinstance(r.get("title"), str) and len(r["title"].split()) >= 3]
step = max(len(titled) // 300, 1)
queries = []
for i, title in enumerate(titled[::step][:300]):
    words = [w.strip("".join(c for c in set(w) if not c.isalnum())) for w in title.split()]
    words = [w for w in words if w][: 2 + i % 2]
    if words:
        queries.append(" ".join(words))
with open(f"{work}/bench-queries.txt", "w") as f:
    f.write("\n".join(queries) + "\n")
def lua(name, prefix, suffix):
    paths = ",\n".join('"%s%s%s"' % (prefix, urllib.parse.quote(q), suffix) for q in queries)
    with open(f"{work}/{name}", "w") as f:
        f.write("local paths = {\n%s\n}\nlocal i = 0\n" % paths)
        f.write("request = function()\n  i = i + 1\n  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n")
lua("bench-akhbar.lua", "/api/v1/search?q=", "")
lua("bench-tantivy.lua", "/api?q=", "&nhits=10")
print(f"bench-server: {len(records)} articles, base {len(records) - batch}, batch {batch}, {len(queries)} queries")
EOF

IDX=$WORK/bench-index
rm -rf "$IDX" "$WORK/bench-tantivy"
"$AKHBAR" index --index "$IDX" "$WORK/bench-base.jsonl" 2>&1 | tail -1
if [ "$SKIP_TANTIVY" != 1 ]; then
mkdir -p "$WORK/bench-tantivy"
cat > "$WORK/bench-tantivy/meta.json" <<'EOF'
{"index_settings":{"docstore_compression":"lz4","docstore_blocksize":16384},"segments":[],"schema":[
{"name":"title","type":"text","options":{"indexing":{"record":"position","fieldnorms":true,"tokenizer":"default"},"stored":true,"fast":false}},
{"name":"body","type":"text","options":{"indexing":{"record":"position","fieldnorms":true,"tokenizer":"default"},"stored":true,"fast":false}}],"opstamp":0}
EOF
"$TCLI" index -i "$WORK/bench-tantivy" < "$WORK/bench-tantivy-docs.jsonl" >/dev/null 2>&1
fi

# wrk NAME PORT SCRIPT: prints one line of figures.
run_wrk() {
    local name=$1 port=$2 script=$3 out
    out=$($RT wrk -t2 -c16 -d"$DURATION" --latency -s "$script" "http://127.0.0.1:$port" 2>&1)
    echo "$out" > "$WORK/wrk-$name.txt"
    local rps p50 p99 non2xx sock
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
    sock=$(awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}' <<<"$out"); sock=${sock:-0}
    printf '%-28s %10s req/s  p50 %8s  p99 %8s  errors %s\n' "$name" "$rps" "$p50" "$p99" $((non2xx + sock))
}

wait_port() {
    for _ in $(seq 1 100); do
        (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
        sleep 0.2
    done
    echo "bench-server: nothing listens on $1" >&2
    return 1
}

PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

# --- tantivy-cli serve
if [ "$SKIP_TANTIVY" != 1 ]; then
"$TCLI" serve -i "$WORK/bench-tantivy" --host 127.0.0.1 --port 8091 >/dev/null 2>&1 &
TPID=$!; PIDS+=("$TPID")
wait_port 8091
curl -s "http://127.0.0.1:8091/api?q=%D9%85%D8%A7%D9%84%D9%8A&nhits=10" >/dev/null
run_wrk "tantivy-cli serve" 8091 "$WORK/bench-tantivy.lua"
kill "$TPID"; wait "$TPID" 2>/dev/null || true
fi

# --- akhbar serve
"$AKHBAR" serve --index "$IDX" --listen 127.0.0.1:8092 >/dev/null 2>"$WORK/serve.log" &
APID=$!; PIDS+=("$APID")
wait_port 8092
# Warm-up: one pass over the queries.
for q in $(head -300 "$WORK/bench-akhbar.lua" | grep -o '"/api[^"]*"' | tr -d '"'); do
    curl -s -o /dev/null "http://127.0.0.1:8092$q"
done
run_wrk "akhbar serve" 8092 "$WORK/bench-akhbar.lua"

# --- akhbar serve while `akhbar index` adds the batch
before=$(curl -s http://127.0.0.1:8092/readyz | python3 -c 'import json,sys; print(json.load(sys.stdin)["articles"])')
run_wrk "akhbar serve + index batch" 8092 "$WORK/bench-akhbar.lua" > "$WORK/wrk-batch-line.txt" &
WPID=$!
sleep 3
"$AKHBAR" index --index "$IDX" "$WORK/bench-batch.jsonl" 2>&1 | tail -1
gen=$(cat "$IDX/CURRENT")
while :; do
    now=$(curl -s http://127.0.0.1:8092/readyz | python3 -c 'import json,sys; print(json.load(sys.stdin).get("articles", 0))' 2>/dev/null || echo 0)
    [ "$now" -gt "$before" ] && break
    sleep 0.05
done
seen=$(date +%s.%N)
commit=$(python3 -c "import os,sys; print(os.stat(sys.argv[1]).st_mtime)" "$IDX/$gen/meta.json")
wait "$WPID"
cat "$WORK/wrk-batch-line.txt"
python3 -c "print('commit to searchable: %.2f s (articles %s -> %s)' % ($seen - $commit, $before, $now))"
echo "akhbar serve peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$APID/status)"
