//! Snippets and highlights, computed on the text as written.
//!
//! The passage is re-analysed with the field's analyzer; every token whose term is one of
//! the query's terms is a highlight, as the byte range of the word as written (token
//! offsets), so diacritics, tatweel and clitics stay inside the highlight. The snippet is
//! the window of whole words, at most `max_bytes` long, holding the most distinct matched
//! terms (then the most matches, then the earliest).

use rustc_hash::FxHashSet;
use tantivy::tokenizer::TextAnalyzer;

/// Byte ranges `[start, end)` of the matched words in a text.
pub type Highlights = Vec<(usize, usize)>;

/// A window of a passage with its highlights (byte ranges into `text`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub highlights: Highlights,
    /// Whether text was cut before / after the window.
    pub cut_before: bool,
    pub cut_after: bool,
}

/// The byte ranges in `text` of the tokens each analyzer makes whose term is among that
/// analyzer's query terms, with the terms.
pub fn find_matches(
    analyzers: &mut [(TextAnalyzer, &FxHashSet<String>)],
    text: &str,
) -> Vec<(usize, usize, String)> {
    let mut matches: Vec<(usize, usize, String)> = Vec::new();
    for (analyzer, terms) in analyzers.iter_mut() {
        if terms.is_empty() {
            continue;
        }
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            if terms.contains(&token.text) {
                matches.push((token.offset_from, token.offset_to, token.text.clone()));
            }
        }
    }
    matches.sort_by_key(|m| (m.0, m.1));
    // Two analyzers may both match one word: keep one range per word.
    matches.dedup_by(|b, a| b.0 < a.1);
    matches
}

/// The highlights alone.
pub fn highlights(matches: &[(usize, usize, String)]) -> Highlights {
    matches.iter().map(|(s, e, _)| (*s, *e)).collect()
}

/// The best window of `text` of at most `max_bytes`, cut on word boundaries.
pub fn make_snippet(text: &str, matches: &[(usize, usize, String)], max_bytes: usize) -> Snippet {
    let text_trimmed_end = text.trim_end().len();
    if text_trimmed_end <= max_bytes {
        return Snippet {
            text: text[..text_trimmed_end].to_string(),
            highlights: highlights(matches)
                .into_iter()
                .filter(|(_, e)| *e <= text_trimmed_end)
                .collect(),
            cut_before: false,
            cut_after: false,
        };
    }
    // Candidate window starts: each match, and the text start.
    // (start, end, score): score = distinct terms, matches, earliest.
    type Window = (usize, usize, (usize, usize, std::cmp::Reverse<usize>));
    let mut best: Option<Window> = None;
    let mut starts: Vec<usize> = vec![0];
    starts.extend(matches.iter().map(|m| m.0));
    for &start in &starts {
        // Back up a little so the first match is not the very first word.
        let start = if start == 0 {
            0
        } else {
            word_start_before(text, start, max_bytes / 5)
        };
        let end = word_end_within(text, start, max_bytes);
        let inside: Vec<&(usize, usize, String)> = matches
            .iter()
            .filter(|m| m.0 >= start && m.1 <= end)
            .collect();
        let distinct: FxHashSet<&str> = inside.iter().map(|m| m.2.as_str()).collect();
        let score = (distinct.len(), inside.len(), std::cmp::Reverse(start));
        if best.as_ref().is_none_or(|(_, _, s)| score > *s) {
            best = Some((start, end, score));
        }
    }
    let (start, end) = best.map(|(s, e, _)| (s, e)).unwrap_or((0, max_bytes));
    Snippet {
        text: text[start..end].to_string(),
        highlights: matches
            .iter()
            .filter(|m| m.0 >= start && m.1 <= end)
            .map(|m| (m.0 - start, m.1 - start))
            .collect(),
        cut_before: start > 0,
        cut_after: end < text_trimmed_end,
    }
}

/// The start of a word at most `back` bytes before `at` (or `at` itself).
fn word_start_before(text: &str, at: usize, back: usize) -> usize {
    let floor = at.saturating_sub(back);
    // The first whitespace at or after `floor`, then the word after it.
    let mut candidate = at;
    for (i, c) in text[..at].char_indices().rev() {
        if i < floor {
            break;
        }
        if c.is_whitespace() {
            candidate = i + c.len_utf8();
        }
    }
    candidate
}

/// The end of the last whole word that ends within `max_bytes` of `start`.
fn word_end_within(text: &str, start: usize, max_bytes: usize) -> usize {
    let limit = (start + max_bytes).min(text.len());
    if limit == text.len() {
        return text.trim_end().len();
    }
    let mut limit = limit;
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    // Cut at the last whitespace before the limit, if the window holds one.
    match text[start..limit].rfind(char::is_whitespace) {
        Some(i) if i > 0 => start + text[start..start + i].trim_end().len(),
        _ => limit,
    }
}

/// Wraps each highlight of `snippet` in `open`/`close` (ANSI bold on a terminal).
pub fn render(snippet: &Snippet, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(snippet.text.len() + 16);
    if snippet.cut_before {
        out.push('…');
    }
    let mut at = 0;
    for &(s, e) in &snippet.highlights {
        if s < at {
            continue;
        }
        out.push_str(&snippet.text[at..s]);
        out.push_str(open);
        out.push_str(&snippet.text[s..e]);
        out.push_str(close);
        at = e;
    }
    out.push_str(&snippet.text[at..]);
    if snippet.cut_after {
        out.push('…');
    }
    // One line per hit: paragraph breaks inside a passage become spaces.
    out.replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analysis;
    use crate::config::Config;

    fn analyzer(name: &str) -> TextAnalyzer {
        Analysis::new(&Config::builtin())
            .expect("config")
            .analyzer(name)
            .expect("analyzer")
    }

    fn terms(words: &[&str]) -> FxHashSet<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn highlights_cover_the_words_as_written() {
        let text = "قتل عناصر من مجموعة «فـاغنر» ولـ\"فاجنر\" بيان.";
        let matches = find_matches(&mut [(analyzer("arabic"), &terms(&["فاغنر"]))], text);
        let words: Vec<&str> = matches.iter().map(|m| &text[m.0..m.1]).collect();
        assert_eq!(words, vec!["فـاغنر", "فاجنر"]);
    }

    #[test]
    fn short_text_is_the_whole_snippet() {
        let text = "مقتل قائد فاغنر";
        let matches = find_matches(&mut [(analyzer("arabic"), &terms(&["فاغنر"]))], text);
        let snippet = make_snippet(text, &matches, 300);
        assert_eq!(snippet.text, text);
        assert_eq!(render(&snippet, "[", "]"), "مقتل قائد [فاغنر]");
    }

    #[test]
    fn long_text_is_cut_on_words_around_the_matches() {
        let filler = "كلام ".repeat(100);
        let text = format!("{filler}وقع الكمين قرب تين زاوتين الحدودية {filler}");
        // The query's terms are what the analyzer makes of it (light10 stems كمين to كم).
        let query_terms: FxHashSet<String> =
            crate::analysis::analyze(&mut analyzer("arabic"), "الكمين تين زاوتين")
                .into_iter()
                .map(|t| t.term)
                .collect();
        let matches = find_matches(&mut [(analyzer("arabic"), &query_terms)], &text);
        let snippet = make_snippet(&text, &matches, 120);
        assert!(snippet.cut_before && snippet.cut_after);
        assert!(snippet.text.len() <= 120);
        let rendered = render(&snippet, "[", "]");
        assert!(rendered.contains("[الكمين]"), "{rendered}");
        assert!(rendered.contains("[تين زاوتين]"), "{rendered}");
        // Whole words only.
        assert!(
            rendered.starts_with("…كلام") || rendered.starts_with("…وقع"),
            "{rendered}"
        );
        assert!(rendered.ends_with("…"));
        for w in snippet.text.split_whitespace() {
            assert!(["كلام", "وقع", "الكمين", "قرب", "تين", "زاوتين", "الحدودية"].contains(&w));
        }
    }

    #[test]
    fn no_terms_no_highlights() {
        let matches = find_matches(&mut [(analyzer("arabic"), &terms(&[]))], "فاغنر");
        assert!(matches.is_empty());
    }
}
