//! Finding mentions: one hash lookup per token (the first word of every name, with
//! proclitics glued on), then a comparison of the following tokens; the longest name at a
//! position wins, an exclusion of the same length wins over a name.

use tantivy::tokenizer::TextAnalyzer;

use super::{Gazetteer, Mention};
use crate::analysis::clitics::{is_proclitic_letter, ARTICLE, ARTICLE_PROCLITICS, PROCLITICS};
use crate::analysis::normalize::is_arabic_letter;
use crate::analysis::senses::bare;

impl Gazetteer {
    /// Every mention of a group in `text`, in order.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        self.mentions_with(&mut self.analyzer(), text)
    }

    /// [`Gazetteer::mentions`] with a given analyzer (a clone of [`Gazetteer::analyzer`]).
    pub fn mentions_with(&self, analyzer: &mut TextAnalyzer, text: &str) -> Vec<Mention> {
        // Terms go into one buffer (no allocation per token), with a standalone و joined
        // to the next Arabic word (الإسلام و المسلمين).
        let mut arena = String::new();
        let mut spans = Vec::new();
        type Spans = Vec<(usize, usize, usize, usize)>;
        fn push(arena: &mut String, spans: &mut Spans, parts: &[&str], start: usize, end: usize) {
            let a = arena.len();
            for part in parts {
                arena.push_str(part);
            }
            spans.push((a, arena.len(), start, end));
        }
        let mut stream = analyzer.token_stream(text);
        let mut pending_waw: Option<usize> = None;
        let w = "و";
        while let Some(t) = stream.next() {
            if t.text == w {
                if let Some(start) = pending_waw.replace(t.offset_from) {
                    push(&mut arena, &mut spans, &[w], start, start + w.len());
                }
                continue;
            }
            let (term, start, end) = (t.text.as_str(), t.offset_from, t.offset_to);
            match pending_waw.take() {
                Some(waw) if term.chars().next().is_some_and(is_arabic_letter) => {
                    push(&mut arena, &mut spans, &[w, term], waw, end)
                }
                Some(waw) => {
                    push(&mut arena, &mut spans, &[w], waw, waw + w.len());
                    push(&mut arena, &mut spans, &[term], start, end);
                }
                None => push(&mut arena, &mut spans, &[term], start, end),
            }
        }
        let tokens: Vec<(&str, usize, usize)> = spans
            .iter()
            .map(|&(a, b, start, end)| (&arena[a..b], start, end))
            .collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let Some(entries) = self.by_first.get(tokens[i].0) else {
                i += 1;
                continue;
            };
            let found = entries.iter().find(|e| {
                tokens.len() > i + e.rest.len()
                    && e.rest
                        .iter()
                        .zip(&tokens[i + 1..])
                        .all(|(want, got)| want.as_str() == got.0)
            });
            let Some(entry) = found else {
                i += 1;
                continue;
            };
            let (start, end) = (tokens[i].1, tokens[i + entry.rest.len()].2);
            if !entry.tags.is_empty() {
                let spelling = spelling_of(&text[start..end], tokens[i].0, entry.strip);
                let before = i.checked_sub(1).map(|j| bare(tokens[j].0).to_string());
                let after = tokens
                    .get(i + 1 + entry.rest.len())
                    .map(|t| bare(t.0).to_string());
                for tag in &entry.tags {
                    out.push(Mention {
                        group: tag.group,
                        name: entry.name,
                        own: tag.own,
                        weight: tag.weight,
                        start,
                        end,
                        spelling: spelling.clone(),
                        before: before.clone(),
                        after: after.clone(),
                    });
                }
            }
            i += 1 + entry.rest.len();
        }
        out
    }
}

/// The keys a first word is looked up under: itself, and with proclitics glued on; with
/// the proclitic letters to strip from the spelling shown.
pub(super) fn first_word_forms(first: &str) -> Vec<(String, (&'static str, &'static str))> {
    let mut forms = vec![(first.to_string(), ("", ""))];
    if !first.chars().next().is_some_and(is_arabic_letter) {
        return forms;
    }
    match first.strip_prefix(ARTICLE) {
        Some(bare) if bare.chars().count() >= 2 => {
            for (combined, strip) in ARTICLE_PROCLITICS {
                forms.push((format!("{combined}{bare}"), *strip));
            }
        }
        _ => {
            for p in PROCLITICS {
                forms.push((format!("{p}{first}"), (p, "")));
            }
        }
    }
    forms
}

/// The name as written without glued proclitics: the letters the key added (لل gives
/// back the article: للمرتزقة → المرتزقة), or, for a lexicon name whose proclitics the
/// analyzer removed (وفاغنر → فاغنر), leading clitic letters the term does not start with.
fn spelling_of(surface: &str, first_term: &str, strip: (&str, &str)) -> String {
    // Quotes and brackets inside or around the name (متمردي "الطوارق", «القاعدة» في مالي)
    // are not part of the spelling; tatweel and diacritics are.
    let cleaned: String = surface
        .chars()
        .filter(|c| !matches!(c, '"' | '«' | '»' | '“' | '”' | '(' | ')' | '[' | ']'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let surface = cleaned.trim_start_matches('\u{0640}');
    let (letters, replacement) = strip;
    if !letters.is_empty() {
        return match surface.strip_prefix(letters) {
            Some(rest) => format!("{replacement}{}", rest.trim_start()),
            None => surface.to_string(),
        };
    }
    let Some(term_first) = first_term.chars().next() else {
        return surface.to_string();
    };
    let mut s = surface;
    while let Some(c) = s.chars().next() {
        if c != term_first && is_proclitic_letter(c) && s.chars().count() > 3 {
            s = &s[c.len_utf8()..];
        } else {
            break;
        }
    }
    s.trim_start().to_string()
}
