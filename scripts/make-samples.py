#!/usr/bin/env python3
"""Builds samples/articles.jsonl from the seed files (../shared/seeds): body = the seed
text as it is (boilerplate and all), metadata from seeds.jsonl, ids seed-000..seed-004."""
import json, sys, pathlib

seeds = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/seeds")
out = pathlib.Path(__file__).resolve().parent.parent / "samples" / "articles.jsonl"
with open(seeds / "seeds.jsonl", encoding="utf-8") as f, open(out, "w", encoding="utf-8") as w:
    for line in f:
        m = json.loads(line)
        body = (seeds / m["file"]).read_text(encoding="utf-8")
        rec = {
            "id": "seed-" + m["file"][:3],
            "outlet": m["outlet"],
            "title": m["title"],
            "published": m["published"],
            "url": m["url"],
            "category": None,
            "body": body,
        }
        w.write(json.dumps(rec, ensure_ascii=False) + "\n")
print(out)
