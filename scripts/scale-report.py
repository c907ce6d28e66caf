#!/usr/bin/env python3
"""The record keeping of scripts/scale.sh: one JSON line per measurement, and the summary.

    scale-report.py corpus-ok META.json K SOURCE      exit 0 if the generated corpus is current
    scale-report.py index-record K RUN TIME.txt SUMMARY STATS.json INDEX_DIR
    scale-report.py batch-record K RUN TIMING_LINE PROC_STATUS
    scale-report.py bench-record K RUN BENCH_OUTPUT
    scale-report.py wrk-script QUERIES.tsv            a wrk Lua script rotating the queries
    scale-report.py serve-record K WRK_OUTPUT
    scale-report.py summary RESULTS.jsonl             medians per size, growth, projections

`summary` prints, per session of scale.sh (from its `start` line), the medians of the runs
of each size, the growth exponent b of each figure (figure ~ articles^b, least squares
over the sizes measured: b = 1 is linear, b = 0 flat), and the projection of each to
10M and 100M articles: figure(largest) * (N / N_largest)^b, and for the term dictionary
Heaps' law from the corpus (scale-corpus.py's fit). Projections are extrapolations.
"""
import json
import math
import os
import re
import statistics
import sys
import urllib.parse

BASE_ARTICLES = 69976


def corpus_ok(meta_path, k, source):
    try:
        with open(meta_path, encoding="utf-8") as f:
            meta = json.load(f)
    except (OSError, ValueError):
        return 1
    data = meta_path[: -len(".json")]
    fresh = os.path.exists(data) and os.path.getmtime(data) <= os.path.getmtime(meta_path)
    same = meta.get("copies") == int(k) and meta.get("source") == source
    return 0 if fresh and same else 1


def time_v(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.strip().rpartition(": ")
            if key.startswith("Elapsed (wall clock)"):
                parts = [float(p) for p in value.split(":")]
                out["wall_s"] = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
            elif key == "User time (seconds)":
                out["user_s"] = float(value)
            elif key == "System time (seconds)":
                out["sys_s"] = float(value)
            elif key == "Maximum resident set size (kbytes)":
                out["peak_rss_mb"] = int(value) / 1024
    out["cpu_s"] = out.get("user_s", 0.0) + out.get("sys_s", 0.0)
    return out


def sizes_by_kind(root):
    """Bytes on disk under root, by file extension (tantivy's .term, .idx, .pos, .store …)."""
    kinds, total = {}, 0
    for dirpath, _, files in os.walk(root):
        for name in files:
            size = os.path.getsize(os.path.join(dirpath, name))
            ext = name.rsplit(".", 1)[-1] if "." in name else "other"
            kinds[ext] = kinds.get(ext, 0) + size
            total += size
    return total, kinds


def index_record(k, run, time_path, summary, stats_path, root):
    rec = {"step": "index", "size": int(k), "run": int(run)}
    rec.update(time_v(time_path))
    m = re.search(r"in ([\d.]+) s \(([\d.]+) MB/s\).*?(\d+) rejected; (\d+) articles and (\d+) passages",
                  summary)
    if m:
        rec.update(akhbar_s=float(m[1]), mb_s=float(m[2]), rejected=int(m[3]),
                   articles=int(m[4]), passages=int(m[5]))
    with open(stats_path, encoding="utf-8") as f:
        stats = json.load(f)
    rec["segments"] = stats.get("segments")
    rec["index_bytes"], rec["bytes_by_kind"] = sizes_by_kind(root)
    print(json.dumps(rec))


def batch_record(k, run, timing, status):
    rec = {"step": "batch", "size": int(k), "run": int(run)}
    rec.update(json.loads(timing))
    for item in status.split(";"):
        key, _, value = item.strip().partition(":")
        if value.strip().endswith("kB"):
            rec[key.strip() + "_mb"] = int(value.split()[0]) / 1024
    print(json.dumps(rec))


def bench_record(k, run, output):
    rec = {"step": "bench", "size": int(k), "run": int(run)}
    names = {"plain tantivy": "plain", "akhbar batch": "batch", "akhbar interactive": "interactive"}
    for line in output.splitlines():
        for prefix, key in names.items():
            if line.startswith(prefix):
                nums = re.findall(r"\d+\.\d+", line[34:])
                rec[key] = {"p50": float(nums[0]), "p95": float(nums[1]), "p99": float(nums[2])}
    print(json.dumps(rec))


def wrk_script(queries_path):
    paths = []
    with open(queries_path, encoding="utf-8") as f:
        for line in f:
            qid, _, q = line.rstrip("\n").partition("\t")
            if qid.startswith("p0-"):
                paths.append("/api/v1/search?q=" + urllib.parse.quote(q))
    print("paths = {" + ",".join(json.dumps(p) for p in paths) + "}")
    print("i = 0\nrequest = function()\n  i = i % #paths + 1\n"
          "  return wrk.format(\"GET\", paths[i])\nend")


def serve_record(k, output):
    rec = {"step": "serve", "size": int(k)}
    m = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if m:
        rec["requests_s"] = float(m[1])
    if p99:
        rec["p99_ms"] = float(p99[1]) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99[2]]
    rec["non_2xx"] = int(errors[1]) if errors else 0
    print(json.dumps(rec))


def sessions(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec["step"] == "start":
                out.append({"start": rec, "records": []})
            elif out:
                out[-1]["records"].append(rec)
    return out


FIGURES = [  # (label, step, getter, unit)
    ("index wall s", "index", lambda r: r["wall_s"], "s"),
    ("index MB/s (akhbar's summary)", "index", lambda r: r["mb_s"], "MB/s"),
    ("index CPU s (user+sys)", "index", lambda r: r["cpu_s"], "s"),
    ("index peak RSS MB", "index", lambda r: r["peak_rss_mb"], "MB"),
    ("index on disk MB", "index", lambda r: r["index_bytes"] / 1e6, "MB"),
    ("  term dictionaries (.term) MB", "index", lambda r: r["bytes_by_kind"].get("term", 0) / 1e6, "MB"),
    ("  postings (.idx) MB", "index", lambda r: r["bytes_by_kind"].get("idx", 0) / 1e6, "MB"),
    ("  positions (.pos) MB", "index", lambda r: r["bytes_by_kind"].get("pos", 0) / 1e6, "MB"),
    ("  stored text (.store) MB", "index", lambda r: r["bytes_by_kind"].get("store", 0) / 1e6, "MB"),
    ("  fast fields + norms MB", "index",
     lambda r: (r["bytes_by_kind"].get("fast", 0) + r["bytes_by_kind"].get("fieldnorm", 0)) / 1e6, "MB"),
    ("segments after merging", "index", lambda r: r["segments"], ""),
    ("passages", "index", lambda r: r["passages"], ""),
    ("batch p50 ms (search --run)", "batch", lambda r: r["p50_ms"], "ms"),
    ("batch p95 ms (search --run)", "batch", lambda r: r["p95_ms"], "ms"),
    ("batch p99 ms (search --run)", "batch", lambda r: r["p99_ms"], "ms"),
    ("open index RSS MB (peak, after warm-up)", "batch", lambda r: r["VmHWM_mb"], "MB"),
    ("  of which anonymous MB", "batch", lambda r: r["RssAnon_mb"], "MB"),
    ("  of which mapped index files MB", "batch", lambda r: r["RssFile_mb"], "MB"),
    ("bench batch p50 ms", "bench", lambda r: r["batch"]["p50"], "ms"),
    ("bench batch p95 ms", "bench", lambda r: r["batch"]["p95"], "ms"),
    ("bench interactive p50 ms", "bench", lambda r: r["interactive"]["p50"], "ms"),
    ("bench interactive p95 ms", "bench", lambda r: r["interactive"]["p95"], "ms"),
    ("bench interactive p99 ms", "bench", lambda r: r["interactive"]["p99"], "ms"),
    ("plain tantivy 1x p95 ms (same run)", "bench", lambda r: r["plain"]["p95"], "ms"),
    ("server requests/s", "serve", lambda r: r["requests_s"], "/s"),
    ("server p99 ms", "serve", lambda r: r["p99_ms"], "ms"),
]


def medians(records, sizes):
    table = {}
    for label, step, get, _ in FIGURES:
        row = {}
        for k in sizes:
            vals = []
            for r in records:
                if r["step"] == step and r["size"] == k:
                    try:
                        vals.append(float(get(r)))
                    except (KeyError, TypeError):
                        pass
            if vals:
                row[k] = (statistics.median(vals), min(vals), max(vals), len(vals))
        if row:
            table[label] = row
    return table


def growth(row):
    """Least-squares slope of log(median) on log(size) over the sizes measured: the b of
    figure ~ articles^b. None with fewer than two sizes or a non-positive median."""
    pts = [(math.log(k), math.log(v[0])) for k, v in sorted(row.items()) if v[0] > 0]
    if len(pts) < 2 or len(pts) < len(row):
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)


def fmt(x):
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.2f}" if abs(x) < 10 else f"{x:.1f}"


def print_table(records, sizes):
    table = medians(records, sizes)
    big = sizes[-1]
    print("\n| figure (median [min–max]) | " + " | ".join(f"{k}x" for k in sizes)
          + " | b | 10M (proj.) | 100M (proj.) |")
    print("|---|" + "---:|" * (len(sizes) + 3))
    for label, row in table.items():
        cells = []
        for k in sizes:
            if k in row:
                med, lo, hi, n = row[k]
                cells.append(fmt(med) + (f" [{fmt(lo)}–{fmt(hi)}]" if n > 1 and lo != hi else ""))
            else:
                cells.append("–")
        b = p10 = p100 = "–"
        slope = growth(row)
        if slope is not None:
            b = f"{slope:.2f}"
            n_big = BASE_ARTICLES * big
            p10 = fmt(row[big][0] * (10e6 / n_big) ** slope)
            p100 = fmt(row[big][0] * (100e6 / n_big) ** slope)
        print(f"| {label} | " + " | ".join(cells) + f" | {b} | {p10} | {p100} |")


def summary(path):
    """One table per session of scale.sh, then one over all sessions: for each size, the
    runs of the latest session that measured it."""
    latest = {}
    for s in sessions(path):
        start, records = s["start"], s["records"]
        sizes = sorted({r["size"] for r in records if "size" in r})
        if not sizes:
            continue
        end = next((r for r in records if r["step"] == "end"), {})
        print(f"\n### session {start['date']}, commit {start['commit']}, sizes {sizes}, "
              f"{start['repeat']} runs, {start['rt'] or 'no chrt'}")
        print(f"machine at start: {start['machine']}")
        if end:
            print(f"machine at end:   {end['machine']}; {end['seconds']} s in all")
        print_table(records, sizes)
        for k in sizes:
            latest[k] = (start["date"], [r for r in records if r.get("size") == k])
    if len(latest) > 1:
        sizes = sorted(latest)
        print("\n### all sizes, each from the latest session that measured it: "
              + ", ".join(f"{k}x {latest[k][0]}" for k in sizes))
        print_table([r for k in sizes for r in latest[k][1]], sizes)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "corpus-ok":
        sys.exit(corpus_ok(*args))
    {"index-record": index_record, "batch-record": batch_record, "bench-record": bench_record,
     "wrk-script": wrk_script, "serve-record": serve_record, "summary": summary}[cmd](*args)


if __name__ == "__main__":
    main()
