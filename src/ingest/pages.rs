//! Scraped pages that hold more than one article.
//!
//! News sites print a "related articles" block (`مقالات ذات صلة`) after an article:
//! teasers made of a section word and photo caption, a teaser headline, a lead, and a
//! byline such as `«الشرق الأوسط» (الجزائر)` or `رائد جبر (موسكو)`. When a scraper keeps
//! the whole page, another full article can follow the block (seed `004_…`).
//!
//! **Choice:** the page is split. The teaser block is never indexed (its lines are kept
//! only in the article's stored original text); substantial text after the block's last
//! byline becomes a separate article with id `<record id>#2` (`#3`, … for more), its
//! headline being its first line. Text after the block too short to be an article is
//! dropped with the block.

use super::clean::{fold, is_related_marker, Span};

/// One article of a page: its lines and, for split-off articles, its headline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// Lines of this article (indices into the page's lines).
    pub lines: std::ops::Range<usize>,
    /// For a split-off article: its first line, taken as its headline.
    pub headline: Option<Span>,
}

/// The result of splitting a page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    pub parts: Vec<Part>,
    /// Lines of related-article blocks (dropped).
    pub related: Vec<std::ops::Range<usize>>,
}

/// Text after a related block needs at least this many bytes to be an article.
const MIN_ARTICLE_BYTES: usize = 400;

/// A teaser byline: a short name followed by a city in parentheses.
fn is_byline(line: &str) -> bool {
    let t = line.trim_end();
    if !t.ends_with(')') || t.len() > 120 {
        return false;
    }
    let Some(open) = t.rfind('(') else {
        return false;
    };
    let before = fold(&t[..open], 60);
    let inside = fold(&t[open..], 60);
    let n = |s: &str| s.split(' ').filter(|w| !w.is_empty()).count();
    (1..=3).contains(&n(&before)) && (1..=2).contains(&n(&inside))
}

/// Splits the lines of a page into articles.
pub fn split(body: &str, lines: &[Span]) -> Page {
    let markers: Vec<usize> = (0..lines.len())
        .filter(|&i| is_related_marker(lines[i].of(body)))
        .collect();
    if markers.is_empty() {
        return Page {
            parts: vec![Part {
                lines: 0..lines.len(),
                headline: None,
            }],
            related: Vec::new(),
        };
    }
    let mut page = Page::default();
    let mut part_start = 0;
    let mut headline = None;
    for (k, &m) in markers.iter().enumerate() {
        let next = markers.get(k + 1).copied().unwrap_or(lines.len());
        page.parts.push(Part {
            lines: part_start..m,
            headline,
        });
        let last_byline = (m + 1..next).rev().find(|&i| is_byline(lines[i].of(body)));
        let after = match last_byline {
            Some(b) => b + 1,
            None => next,
        };
        let tail_bytes: usize = lines[after..next].iter().map(|s| s.len()).sum();
        if after < next && tail_bytes >= MIN_ARTICLE_BYTES {
            page.related.push(m..after);
            part_start = after;
            headline = Some(lines[after]);
        } else {
            page.related.push(m..next);
            part_start = next;
            headline = None;
        }
    }
    if part_start < lines.len() {
        page.parts.push(Part {
            lines: part_start..lines.len(),
            headline,
        });
    }
    page.parts
        .retain(|p| !p.lines.is_empty() || p.headline.is_some());
    if page.parts.is_empty() {
        page.parts.push(Part {
            lines: 0..0,
            headline: None,
        });
    }
    page
}

#[cfg(test)]
mod tests {
    use super::super::clean::lines;
    use super::*;

    #[test]
    fn bylines() {
        assert!(is_byline("«الشرق الأوسط» (الجزائر)"));
        assert!(is_byline("«الشرق الأوسط» (واشنطن )"));
        assert!(is_byline("رائد جبر (موسكو)"));
        assert!(!is_byline("مقاتلون من تنظيم «القاعدة» في مالي (إعلام محلي)"));
        assert!(!is_byline("وقال إن الهجوم وقع أمس (الاثنين)"));
    }

    #[test]
    fn a_page_without_related_block_is_one_article() {
        let body = "سطر أول\nسطر ثان";
        let page = split(body, &lines(body));
        assert_eq!(page.parts.len(), 1);
        assert!(page.related.is_empty());
    }

    #[test]
    fn teasers_then_second_article() {
        let long = "وهذا نص طويل من المقال الثاني يتحدث عن أحداث كثيرة في شمال مالي. ".repeat(8);
        let body = format!(
            "نص المقال الأول.\nمقالات ذات صلة\nعنوان تشويقي\nملخص\nرائد جبر (موسكو)\nعنوان المقال الثاني\n{long}"
        );
        let ls = lines(&body);
        let page = split(&body, &ls);
        assert_eq!(page.parts.len(), 2);
        assert_eq!(page.parts[0].lines, 0..1);
        assert_eq!(page.related, vec![1..5]);
        assert_eq!(page.parts[1].lines, 5..7);
        assert_eq!(
            page.parts[1].headline.unwrap().of(&body),
            "عنوان المقال الثاني"
        );
    }

    #[test]
    fn teasers_at_the_end_are_dropped() {
        let body = "نص المقال الأول.\nمقالات ذات صلة\nعنوان تشويقي\nملخص قصير";
        let page = split(body, &lines(body));
        assert_eq!(page.parts.len(), 1);
        assert_eq!(page.related, vec![1..4]);
    }
}
