#!/usr/bin/env bash
# Reference outputs of one akhbar binary, to show that a refactor changes no result.
#
#   scripts/identity.sh BIN OUT_DIR      # write BIN's outputs into OUT_DIR
#   diff -r BEFORE_DIR AFTER_DIR         # then compare two binaries' outputs
#
# What it writes (every file must be byte-identical between two binaries that rank
# the same way):
#   bench-queries.tsv        300 title queries of two or three words, derived from the
#                            corpus titles as benches/query.rs derives them
#   corpus.trec              `search --queries bench-queries.tsv --run … --limit 100`
#   corpus-passages.trec     the same, `--by passage`
#   xquad.trec               the XQuAD-ar dev questions on an index of its passages
#   interactive/*.json       `search --json` (took_ms removed) of ~40 interactive
#                            searches on the samples and the corpus index
#   interactive/*.txt        the same searches' result pages (timing line removed)
#   eval-xquad.txt           `akhbar eval` on XQuAD-ar alone (the figures, not the times)
#   interactive/*.err        their notes and errors (stderr)
#
# Indexes are built once, by the first binary run, under $IDX (default
# /work/idx/layout): corpus/, samples/, xquad/. Later runs reuse them, so the second
# binary also shows that it reads the first one's index (same format, same analysis
# fingerprint). Reads $AKHBAR_SHARED (default /work/shared).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=$(realpath "${1:?usage: scripts/identity.sh BIN OUT_DIR}")
OUT=${2:?usage: scripts/identity.sh BIN OUT_DIR}
SHARED=${AKHBAR_SHARED:-/work/shared}
IDX=${IDX:-/work/idx/layout}
CORPUS="$SHARED/corpus/news-ar.jsonl.gz"
XQUAD="$SHARED/eval/xquad-ar"
mkdir -p "$OUT/interactive" "$IDX"

[ -d "$IDX/corpus" ] || "$BIN" index --index "$IDX/corpus" "$CORPUS" >/dev/null
[ -d "$IDX/samples" ] || "$BIN" index --index "$IDX/samples" samples/articles.jsonl >/dev/null
if [ ! -d "$IDX/xquad" ]; then
    # The passages as articles without a title (as eval indexes them): {id, body}.
    jq -c '{id, body: .text}' "$XQUAD/passages.jsonl" >"$IDX/xquad-passages.jsonl"
    "$BIN" index --index "$IDX/xquad" "$IDX/xquad-passages.jsonl" >/dev/null
fi

# The bench queries: every (n/300)-th title of three words or more, its first two or
# three words (alternately) with punctuation trimmed, as benches/query.rs makes them.
python3 - "$CORPUS" >"$OUT/bench-queries.tsv" <<'EOF'
import gzip, json, sys
titles = []
with gzip.open(sys.argv[1], "rt", encoding="utf-8") as f:
    for line in f:
        try:
            t = json.loads(line).get("title")
        except ValueError:
            continue
        if isinstance(t, str) and len(t.split()) >= 3:
            titles.append(t)
step = max(len(titles) // 300, 1)
for i, title in enumerate(titles[::step][:300]):
    words = [w.strip("".join(c for c in set(w) if not c.isalnum())) for w in title.split()]
    words = [w for w in words if w][: 2 + i % 2]
    if words:
        print(f"b{i:03d}\t{' '.join(words)}")
EOF

"$BIN" search --index "$IDX/corpus" --queries "$OUT/bench-queries.tsv" \
    --run "$OUT/corpus.trec" --limit 100 2>/dev/null
"$BIN" search --index "$IDX/corpus" --queries "$OUT/bench-queries.tsv" \
    --run "$OUT/corpus-passages.trec" --limit 100 --by passage 2>/dev/null
"$BIN" search --index "$IDX/xquad" --queries "$XQUAD/queries.tsv" \
    --run "$OUT/xquad.trec" --limit 100 2>/dev/null

# Interactive searches: name|index|arguments (arguments split on spaces; the query is
# the last field, after a second |).
n=0
while IFS='|' read -r index args query; do
    [ -z "$index" ] && continue
    n=$((n + 1))
    name=$(printf '%02d-%s' "$n" "$index")
    # shellcheck disable=SC2086
    "$BIN" search --index "$IDX/$index" $args --json -- "$query" 2>"$OUT/interactive/$name.err" \
        | jq -S 'del(.took_ms)' >"$OUT/interactive/$name.json" || true
    # shellcheck disable=SC2086
    "$BIN" search --index "$IDX/$index" $args -- "$query" 2>/dev/null \
        | sed -E 's/ · [0-9.]+ ms$//' >"$OUT/interactive/$name.txt" || true
done <<'EOF'
samples||تين زاوتين
samples||فاجنر
samples||"المرتزقة الروس"
samples||فاغنر OR "الفيلق الأفريقي"
samples||+فاغنر -أوكرانيا
samples||(فاغنر OR فاجنر) كيدال
samples||title:كمين
samples||outlet:BBC فاغنر
samples||about:wagner
samples|--about jnim|مالي
samples|--outlet BBC|مالي
samples|--all-passages|فاغنر
samples|--explain|تين زاوتين
samples|--explain|كيتال
samples||Wagner
samples||CSP-DPA
samples|--no-expand|Wagner
samples|--match any|الجيش المالي كيدال
samples|--match all|الجيش المالي كيدال
samples|--from 2024-07-01 --to 2024-08-31|مالي
samples|--limit 2 --offset 1|مالي
samples||-فاغنر
samples||outlet:nosuch مالي
samples||outlet:"Emarat Al Youm" فاغنر
samples||about:nosuch
corpus||فاغنر مالي
corpus||"الجيش المالي"
corpus||كيتال
corpus||الاغتيالاث
corpus||Wagner
corpus||نصرة الإسلام
corpus||title:مالي
corpus||outlet:BBC مالي
corpus||about:jnim
corpus|--about wagner|روسيا
corpus|--from 2015-01-01 --to 2015-12-31|تمبكتو
corpus|--all-passages --limit 5|أزواد
corpus|--explain --limit 3|المرتزقة الروس
corpus||السعودية OR الإمارات اليمن
corpus||+اليمن -الحوثي
corpus||Africa Corps
corpus|--match any|الرئيس الفرنسي ماكرون يزور مالي
corpus||الانتخابات ٢٠١٤
EOF

"$BIN" eval --passages "$XQUAD/passages.jsonl" --queries "$XQUAD/queries.tsv" \
    --qrels "$XQUAD/qrels.tsv" 2>/dev/null \
    | sed -E 's/\|[^|]*\|[^|]*\|$/|/' >"$OUT/eval-xquad.txt" # without the two timing columns
echo "identity: wrote $OUT ($n interactive searches)"
