//! The result page for people: the parsed query (with `--explain`), each hit with its
//! title, outlet, date, snippet (matched words in bold yellow on a terminal), ids, groups
//! and score, and the counts by outlet and group.

use std::fmt::Write as _;

use crate::search::present::snippet;
use crate::search::{SearchRequest, SearchResponse};

/// The human-readable result page.
pub fn render(response: &SearchResponse, request: &SearchRequest, color: bool) -> String {
    let (bold, dim, reset) = if color {
        ("\x1b[1m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let mut out = String::new();
    if request.explain {
        let _ = writeln!(out, "{bold}query{reset} {}", response.query);
        for word in &response.parsed {
            let _ = write!(out, "  {:<7} {}", word.kind, word.input);
            if !word.ranked_terms.is_empty() {
                let _ = write!(out, "  → ranked [{}]", word.ranked_terms.join(" "));
            }
            if !word.exact_terms.is_empty() {
                let _ = write!(out, "  exact [{}]", word.exact_terms.join(" "));
            }
            if !word.near_terms.is_empty() {
                let _ = write!(
                    out,
                    "  not in the index; near spellings [{}]",
                    word.near_terms.join(" ")
                );
            }
            if !word.facets.is_empty() {
                let _ = write!(out, "  facet [{}]", word.facets.join(" "));
            }
            if let Some(group) = &word.group {
                let _ = write!(out, "  OR group {group} (/group/{group})");
            }
            if let Some(why) = &word.ignored {
                let _ = write!(out, "  (ignored: {why})");
            }
            out.push('\n');
        }
        out.push('\n');
    }
    if response.hits.is_empty() {
        let _ = writeln!(out, "no results for {}", response.query);
    }
    for hit in &response.hits {
        let title = hit.title.as_deref().unwrap_or("(no title)");
        let _ = writeln!(
            out,
            "{bold}{:>2}. {}{reset} {dim}·{reset} {} {dim}·{reset} {}",
            hit.rank,
            title,
            hit.outlet.as_deref().unwrap_or("unknown outlet"),
            hit.published.as_deref().unwrap_or("undated"),
        );
        let snippet = match &hit.snippet_parts {
            Some(parts) if color => snippet::render(parts, "\x1b[1;33m", reset),
            _ => hit.snippet.clone(),
        };
        let _ = writeln!(out, "    {snippet}");
        let mut meta = format!("{} #{}", hit.doc_id, hit.passage);
        if !hit.group_detail.is_empty() {
            let tags: Vec<String> = hit
                .group_detail
                .iter()
                .map(|t| format!("{} {:.1}", t.group, t.strength))
                .collect();
            let _ = write!(meta, " · about {}", tags.join(", "));
        } else if !hit.groups.is_empty() {
            let _ = write!(meta, " · about {}", hit.groups.join(", "));
        }
        if hit.more_passages > 0 {
            let _ = write!(
                meta,
                " · +{} more passage{} in this article",
                hit.more_passages,
                if hit.more_passages == 1 { "" } else { "s" }
            );
        }
        let _ = writeln!(out, "    {dim}{meta} · score {:.2}{reset}", hit.score);
        if let Some(explanation) = &hit.explanation {
            let pretty = serde_json::to_string_pretty(explanation).unwrap_or_default();
            for line in pretty.lines() {
                let _ = writeln!(out, "      {dim}{line}{reset}");
            }
        }
    }
    if let Some(total) = response.total {
        let unit = if request.all_passages {
            "passage"
        } else {
            "article"
        };
        let _ = writeln!(
            out,
            "\n{total} {unit}{} · {:.1} ms",
            if total == 1 { "" } else { "s" },
            response.took_ms
        );
        let facet_line = |name: &str, counts: &std::collections::BTreeMap<String, u64>| {
            let mut items: Vec<(&String, &u64)> = counts.iter().collect();
            items.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let list: Vec<String> = items.iter().map(|(k, v)| format!("{k} {v}")).collect();
            format!("{name}: {}", list.join(" · "))
        };
        if !response.facets.outlet.is_empty() {
            let _ = writeln!(out, "{}", facet_line("outlets", &response.facets.outlet));
        }
        if !response.facets.group.is_empty() {
            let _ = writeln!(out, "{}", facet_line("groups", &response.facets.group));
        }
    }
    out
}
