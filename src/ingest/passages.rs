//! Passages: the unit of retrieval. Each kept paragraph is a passage; a paragraph longer
//! than `max_bytes` is cut at sentence ends (`.` `؟` `!` `؛` `?`), and only where no
//! sentence end is near enough at a space; a piece shorter than `min_bytes` (a subhead, a
//! caption, a line broken mid-sentence) is merged with the next or previous piece when
//! only whitespace separates them in the original body. A passage is always a slice of
//! the original body.

use super::clean::{is_blank, Span};
use crate::config::PassageSettings;

fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '؟' | '!' | '؛' | '?' | '…')
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '.' | '؟' | '!' | '?' | '…'
    )
}

/// Byte offsets (within `text`) just after each sentence end.
fn sentence_ends(text: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !is_sentence_end(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if is_closer(d) {
                end = j + d.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        match chars.peek() {
            None => ends.push(end),
            Some(&(_, d)) if is_blank(d) => ends.push(end),
            _ => {}
        }
    }
    ends
}

/// Trims a sub-span of `body`.
fn trim(body: &str, start: usize, end: usize) -> Option<Span> {
    let s = &body[start..end];
    let lead = s.len() - s.trim_start_matches(is_blank).len();
    let t = s.trim_matches(is_blank);
    (!t.is_empty()).then(|| Span {
        start: start + lead,
        end: start + lead + t.len(),
    })
}

/// Cuts one long paragraph into pieces of at most `max` bytes.
fn cut_long(body: &str, span: Span, max: usize, out: &mut Vec<Span>) {
    let text = span.of(body);
    let ends = sentence_ends(text);
    let mut start = 0; // within text
    while text.len() - start > max {
        let limit = start + max;
        // The last sentence end that fits, if it leaves a reasonable piece.
        let cut = ends
            .iter()
            .copied()
            .rfind(|&e| e > start + max / 4 && e <= limit)
            .or_else(|| {
                // No sentence end: the last space before the limit.
                let mut l = limit;
                while !text.is_char_boundary(l) {
                    l -= 1;
                }
                text[start..l]
                    .rfind(is_blank)
                    .map(|i| start + i)
                    .filter(|&i| i > start)
            })
            .unwrap_or_else(|| {
                let mut l = limit;
                while !text.is_char_boundary(l) {
                    l -= 1;
                }
                l
            });
        if let Some(piece) = trim(body, span.start + start, span.start + cut) {
            out.push(piece);
        }
        start = cut;
    }
    if let Some(piece) = trim(body, span.start + start, span.end) {
        out.push(piece);
    }
}

/// Whether only whitespace separates two spans in the body.
fn contiguous(body: &str, a: Span, b: Span) -> bool {
    a.end <= b.start && body[a.end..b.start].chars().all(is_blank)
}

/// Splits the kept lines of one article into passages.
pub fn split(body: &str, kept: &[Span], settings: &PassageSettings) -> Vec<Span> {
    let max = settings.max_bytes;
    let min = settings.min_bytes;
    let mut pieces = Vec::with_capacity(kept.len() + 4);
    for &span in kept {
        if span.len() > max {
            cut_long(body, span, max, &mut pieces);
        } else {
            pieces.push(span);
        }
    }
    let mut out: Vec<Span> = Vec::with_capacity(pieces.len());
    let mut cur: Option<Span> = None;
    for p in pieces {
        cur = Some(match cur {
            None => p,
            Some(c) => {
                if (c.len() < min || p.len() < min)
                    && p.end - c.start <= max
                    && contiguous(body, c, p)
                {
                    Span {
                        start: c.start,
                        end: p.end,
                    }
                } else {
                    out.push(c);
                    p
                }
            }
        });
    }
    out.extend(cur);
    out
}

#[cfg(test)]
mod tests {
    use super::super::clean::lines;
    use super::*;

    fn settings(min: usize, max: usize) -> PassageSettings {
        PassageSettings {
            about: String::new(),
            max_bytes: max,
            min_bytes: min,
        }
    }

    #[test]
    fn long_paragraphs_cut_at_sentence_ends() {
        let body = "جملة أولى طويلة بعض الشيء. جملة ثانية؟ جملة ثالثة! جملة رابعة؛ جملة خامسة.";
        let ps = split(body, &lines(body), &settings(10, 60));
        assert!(ps.len() > 1);
        for p in &ps {
            assert!(p.len() <= 60, "{}", p.of(body));
            let t = p.of(body);
            assert!(t.ends_with(['.', '؟', '!', '؛']), "{t}");
        }
        // Pieces cover the text in order.
        assert_eq!(ps[0].start, 0);
        assert_eq!(ps.last().unwrap().end, body.len());
    }

    #[test]
    fn no_sentence_end_cuts_at_a_space() {
        let body = "كلمة ".repeat(100);
        let ps = split(&body, &lines(&body), &settings(10, 100));
        assert!(ps
            .iter()
            .all(|p| p.len() <= 100 && !p.of(&body).contains("  ")));
        assert!(ps.len() >= 5);
    }

    #[test]
    fn short_lines_merge_with_a_neighbour() {
        let body =
            "عنوان فرعي\nفقرة طويلة بما يكفي لتكون مقطعا وحدها في هذا الاختبار الصغير جدا.\nقصير";
        let ps = split(body, &lines(body), &settings(40, 400));
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].of(body), body);
    }

    #[test]
    fn no_merge_across_removed_lines() {
        let body = "قصير\nمحذوف\nقصير آخر";
        let ls = lines(body);
        let kept = [ls[0], ls[2]];
        let ps = split(body, &kept, &settings(40, 400));
        assert_eq!(ps.len(), 2);
    }
}
