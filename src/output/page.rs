//! The result page for people: the parsed query (with `--explain`), each hit with its
//! title, outlet, date, snippet (matched words in bold yellow on a terminal), ids, groups
//! and score, and the counts by outlet and group.

use std::fmt::Write as _;

use crate::search::present::snippet;
use crate::search::{Hit, SearchRequest, SearchResponse};

/// Terminal styles: bold, dim, reset (empty without colour).
struct Style {
    bold: &'static str,
    dim: &'static str,
    reset: &'static str,
    color: bool,
}

/// The human-readable result page.
pub fn render(response: &SearchResponse, request: &SearchRequest, color: bool) -> String {
    let style = if color {
        Style {
            bold: "\x1b[1m",
            dim: "\x1b[2m",
            reset: "\x1b[0m",
            color,
        }
    } else {
        Style {
            bold: "",
            dim: "",
            reset: "",
            color,
        }
    };
    let mut out = String::new();
    if request.explain {
        parsed_query(&mut out, response, &style);
    }
    if response.hits.is_empty() {
        let _ = writeln!(out, "no results for {}", response.query);
    }
    for hit in &response.hits {
        hit_lines(&mut out, hit, &style);
    }
    if let Some(total) = response.total {
        counts(&mut out, response, request, total);
    }
    out
}

/// What each typed word became (`--explain`).
fn parsed_query(out: &mut String, response: &SearchResponse, style: &Style) {
    let Style { bold, reset, .. } = style;
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
        for sense in &word.senses {
            let _ = write!(out, "\n          sense {sense}");
        }
        if !word.searched.is_empty() {
            let terms: Vec<String> = word
                .searched
                .iter()
                .map(|t| format!("{} {} ({}) ×{}", t.kind, t.term, t.field, t.weight))
                .collect();
            let _ = write!(out, "\n          searched: {}", terms.join(" · "));
        }
        out.push('\n');
    }
    out.push('\n');
}

/// One hit: title line, snippet, ids and groups, and its score breakdown if any.
fn hit_lines(out: &mut String, hit: &Hit, style: &Style) {
    let Style {
        bold, dim, reset, ..
    } = style;
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
        Some(parts) if style.color => snippet::render(parts, "\x1b[1;33m", reset),
        _ => hit.snippet.clone(),
    };
    let _ = writeln!(out, "    {snippet}");
    let mut meta = format!("{} #{}", hit.doc_id, hit.passage);
    // Entries that only report set-aside mentions are not tags.
    if hit.group_detail.iter().any(|t| t.tagged) {
        let tags: Vec<String> = hit
            .group_detail
            .iter()
            .filter(|t| t.tagged)
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
    if let Some(words) = hit.words_matched {
        let _ = write!(meta, " · {} of the {} words", words.matched, words.of);
    }
    let _ = writeln!(out, "    {dim}{meta} · score {:.2}{reset}", hit.score);
    let also = hit
        .story
        .as_ref()
        .and_then(|s| crate::search::rank::stories::also_reported(s, hit.outlet.as_deref()));
    if let Some(also) = also {
        let _ = writeln!(out, "    {dim}{also}{reset}");
    }
    if let Some(explanation) = &hit.explanation {
        let pretty = serde_json::to_string_pretty(explanation).unwrap_or_default();
        for line in pretty.lines() {
            let _ = writeln!(out, "      {dim}{line}{reset}");
        }
    }
}

/// The total, the time, and the counts by outlet and by group, most first.
fn counts(out: &mut String, response: &SearchResponse, request: &SearchRequest, total: u64) {
    let unit = if request.all_passages {
        "passage"
    } else {
        "article"
    };
    let _ = writeln!(
        out,
        "\n{total} {unit}{}{} · {:.1} ms",
        if total == 1 { "" } else { "s" },
        match (response.stories, request.all_passages) {
            (Some(n), false) if n != total => format!(" in {n} stories"),
            _ => String::new(),
        },
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
    if !response.facets.outlet_stories.is_empty()
        && response.facets.outlet_stories != response.facets.outlet
        && !request.all_passages
    {
        let stories = facet_line("stories by outlet", &response.facets.outlet_stories);
        let _ = writeln!(out, "{stories}");
    }
    if !response.facets.group.is_empty() {
        let _ = writeln!(out, "{}", facet_line("groups", &response.facets.group));
    }
}
