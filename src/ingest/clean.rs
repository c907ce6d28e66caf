//! Boilerplate removal, line by line.
//!
//! The body is cut into lines (byte spans into the original text, trimmed). Each line is
//! kept, dropped as one of the boilerplate families of the BRIEF, or kept with a
//! boilerplate prefix or suffix cut off (a CNN dateline, a trailing `...المزيد`).
//! Nothing is rewritten: what is kept is always a slice of the original body, so the
//! stored passage text is the text as written and highlight offsets point into it.
//! Dropped text is not lost: the index stores it beside the article (see
//! [`crate::ingest::Article::rest`]).

use rustc_hash::FxHashSet;

use super::outlets::is_arabic_mark;
use crate::analysis::normalize::{fold_letter_variant, is_arabic_letter};

/// A byte range of the original body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn len(self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }
    pub fn of(self, text: &str) -> &str {
        &text[self.start..self.end]
    }
}

/// Why a line is not ranked as article text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// `The post … appeared first on …`
    SignOff,
    /// `2024 © … جميع حقوق النشر محفوظة`
    Copyright,
    /// `اقرأ أيضاً | …`, `أنظر أيضا | …`
    CrossLink,
    /// `شاركها.`, `اترك تعليقاً`, `Exit mobile version`, `...المزيد`, `// انتهى //`
    Widget,
    /// Lines with no letter or digit (`* * *`, `-----`).
    Separator,
    /// Short Latin marks such as `TT`.
    Watermark,
    /// The BBC app promotion.
    Promo,
    /// Opinion and verification disclaimers.
    Disclaimer,
    /// Agency credits and "quoted from" lines.
    Credit,
    /// The SMS contact block.
    Contact,
    /// Wire datelines and time stamps.
    Dateline,
    /// Short byline lines (`عين اليوم – جدة`).
    Byline,
    /// The headline repeated in the body.
    TitleEcho,
    /// A line seen before in the same article (captions printed twice).
    Duplicate,
    /// A "related articles" block of teasers (see `pages`).
    Related,
    /// One outlet's own template (`index-schema/boilerplate.json`, see `learned`).
    Learned,
    /// An inline list of other articles' headlines (see `linklists`).
    LinkList,
}

/// Whitespace, and the invisible format characters that scraped text pads lines with.
pub fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}'
        )
}

/// The non-blank lines of a text, as trimmed spans.
pub fn lines(body: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut pos = 0;
    for line in body.split('\n') {
        let start = pos;
        pos += line.len() + 1;
        let lead = line.len() - line.trim_start_matches(is_blank).len();
        let trimmed = line.trim_matches(is_blank);
        if !trimmed.is_empty() {
            out.push(Span {
                start: start + lead,
                end: start + lead + trimmed.len(),
            });
        }
    }
    out
}

/// Folds for matching: lowercase, Arabic letter variants unified, diacritics dropped,
/// everything else that is not a letter or digit becomes one space. Reads at most
/// `max_chars` characters.
pub fn fold(s: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max_chars * 2));
    let mut space = false;
    for c in s.chars().take(max_chars) {
        match fold_char(c) {
            Folded::Mark => {}
            Folded::Break => space = true,
            kept => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                kept.push_to(&mut out);
            }
        }
    }
    out
}

/// The words of [`fold`]`(s, s.len())`, one by one, without building the folded text:
/// `f` gets each non-empty word (what `fold(s, s.len()).split(' ')` yields, in order).
pub fn for_each_folded_word(s: &str, mut f: impl FnMut(&str)) {
    let mut word = String::with_capacity(64);
    for c in s.chars() {
        match fold_char(c) {
            Folded::Mark => {}
            Folded::Break => {
                if !word.is_empty() {
                    f(&word);
                    word.clear();
                }
            }
            kept => kept.push_to(&mut word),
        }
    }
    if !word.is_empty() {
        f(&word);
    }
}

/// What [`fold`] makes of one character.
enum Folded {
    /// Kept as this character.
    Char(char),
    /// Kept, lowercased (a non-ASCII letter or digit outside the Arabic block).
    Lower(char),
    /// Dropped without breaking the word (diacritics, zero-width marks).
    Mark,
    /// Ends the word (spaces, punctuation, symbols).
    Break,
}

impl Folded {
    #[inline]
    fn push_to(self, out: &mut String) {
        match self {
            Folded::Char(c) => out.push(c),
            Folded::Lower(c) => out.extend(c.to_lowercase()),
            Folded::Mark | Folded::Break => {}
        }
    }
}

#[inline]
fn fold_char(c: char) -> Folded {
    let c = fold_letter_variant(c);
    // Fast paths: Arabic letters and digits (no case), ASCII.
    match c {
        _ if is_arabic_letter(c) || ('\u{0660}'..='\u{0669}').contains(&c) => Folded::Char(c),
        _ if c.is_ascii() => match c.is_ascii_alphanumeric() {
            true => Folded::Char(c.to_ascii_lowercase()),
            false => Folded::Break,
        },
        _ if is_arabic_mark(c) || matches!(c, '\u{200B}'..='\u{200F}') => Folded::Mark,
        _ if c.is_alphanumeric() => Folded::Lower(c),
        _ => Folded::Break,
    }
}

const CROSS_LINKS: &[&str] = &[
    "اقرا ايضا",
    "اقرا كذلك",
    "اقرا المزيد",
    "انظر ايضا",
    "شاهد ايضا",
    "طالع ايضا",
    "read also",
    "read more",
    "lire aussi",
    "voir aussi",
];

const WIDGETS: &[&str] = &[
    "اعاده استخدام هذا المحتوي",
    "شاركها",
    "شارك",
    "مشاركه",
    "اترك تعليقا",
    "اترك تعليق",
    "اضف تعليق",
    "exit mobile version",
    "المزيد",
    "انتهي",
    "يتبع",
    "طباعه",
    "share",
];

const RELATED_MARKERS: &[&str] = &[
    "مقالات ذات صله",
    "اخبار ذات صله",
    "مواضيع ذات صله",
    "مقالات مقترحه",
    "قد يهمك ايضا",
    "related articles",
];

/// A line that opens a "related articles" block.
pub fn is_related_marker(line: &str) -> bool {
    line.len() < 80 && RELATED_MARKERS.contains(&fold(line, 40).as_str())
}

fn words(folded: &str) -> usize {
    folded.split(' ').filter(|w| !w.is_empty()).count()
}

/// Decides about one trimmed line on its own (no context).
///
/// Fast on ordinary paragraphs: only a short prefix is folded, and long lines are only
/// folded in full when a raw substring hints at one of the families that can be long.
pub fn classify(line: &str) -> Option<Family> {
    let bytes = line.len(); // an Arabic letter is 2 bytes
    if let Some(family) = classify_any_length(line, bytes) {
        return Some(family);
    }
    if bytes > 600 {
        return None;
    }
    let full = fold(line, 300);
    if let Some(family) = classify_notice(line, bytes, &full) {
        return Some(family);
    }
    if bytes > 240 {
        return None;
    }
    classify_short(line, &full)
}

/// Families recognised at any length: sign-offs, cross-links, separators, app promotion.
fn classify_any_length(line: &str, bytes: usize) -> Option<Family> {
    if line.starts_with("The post ") && line.contains(" appeared first on ") {
        return Some(Family::SignOff);
    }
    let head = fold(line, 24);
    if CROSS_LINKS.iter().any(|p| head.starts_with(p)) {
        return Some(Family::CrossLink);
    }
    if head.is_empty() && bytes < 400 && fold(line, 400).is_empty() {
        return Some(Family::Separator);
    }
    if head.starts_with("يمكنكم") && (line.contains("بي بي سي") || line.contains("إشعارات"))
        || (line.contains("تطبيق بي بي سي") && bytes < 600)
    {
        return Some(Family::Promo);
    }
    None
}

/// Notices of up to 600 bytes (`full` is the folded line): copyright, the opinion
/// disclaimer, the SMS-contact block.
fn classify_notice(line: &str, bytes: usize, full: &str) -> Option<Family> {
    let hint_copyright =
        line.contains('©') || line.contains("حقوق") || line.contains("ights reserved");
    let hint_disclaimer = line.contains("كتابها") || line.contains("بشكل مستقل");
    let hint_contact = line.contains("SMS") || line.contains("sms");
    if bytes > 240 && !(hint_copyright || hint_disclaimer || hint_contact) {
        return None;
    }
    if hint_copyright
        && (line.contains('©')
            || (full.contains("حقوق") && full.contains("محفوظه"))
            || full.contains("all rights reserved"))
    {
        return Some(Family::Copyright);
    }
    if hint_disclaimer
        && (full.contains("تمثل راي كتابها") || full.contains("لا يمكنه التاكد بشكل مستقل"))
    {
        return Some(Family::Disclaimer);
    }
    if hint_contact && full.contains("sms") && full.contains("للتواصل") {
        return Some(Family::Contact);
    }
    None
}

/// Short lines (up to 240 bytes; `full` is the folded line): widgets, contact numbers,
/// watermarks, datelines, agency credits, bylines.
fn classify_short(line: &str, full: &str) -> Option<Family> {
    if WIDGETS.contains(&full) {
        return Some(Family::Widget);
    }
    let n_words = words(full);
    if n_words <= 3
        && (full.ends_with(" stc") || full.ends_with(" mobily") || full.ends_with(" zain"))
        && full.starts_with(|c: char| c.is_ascii_digit())
    {
        return Some(Family::Contact);
    }
    if line.chars().count() <= 3 && !line.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        return Some(Family::Watermark);
    }
    if full.contains(" الموافق ") && full.ends_with("واس") {
        return Some(Family::Dateline);
    }
    if n_words <= 4
        && line.starts_with(|c: char| c.is_ascii_digit())
        && line.contains(':')
        && (full.ends_with("ت م") || full.ends_with("ت غ"))
    {
        return Some(Family::Dateline);
    }
    classify_credit(line, full, n_words)
}

/// Agency credits and bylines of up to six words.
fn classify_credit(line: &str, full: &str, n_words: usize) -> Option<Family> {
    if n_words > 6 {
        return None;
    }
    if full.contains("ا ف ب")
        || full.contains("د ب ا")
        || full.ends_with("رويترز")
        || full.starts_with("رويترز")
    {
        return Some(Family::Credit);
    }
    if line.starts_with('*') && (full.starts_with("خدمه") || full.starts_with("نقلا عن"))
    {
        return Some(Family::Credit);
    }
    if full.starts_with("عين اليوم") || full.ends_with("عين اليوم") || full.ends_with("متابعات")
    {
        return Some(Family::Byline);
    }
    None
}

/// A boilerplate prefix to cut from a kept line: the CNN dateline `… (CNN)--`.
/// Returns the number of bytes to skip.
pub fn prefix_cut(line: &str) -> usize {
    let head = &line[..floor_char(line, 200)];
    if let Some(i) = head.find("(CNN)") {
        let after = &line[i + 5..];
        let dashes = after.trim_start_matches(' ');
        let skipped = after.len() - dashes.len();
        for dash in ["--", "—", "–", "-"] {
            if let Some(rest) = dashes.strip_prefix(dash) {
                let rest_trim = rest.trim_start_matches(is_blank);
                return i + 5 + skipped + dash.len() + (rest.len() - rest_trim.len());
            }
        }
    }
    0
}

/// A boilerplate suffix to cut from a kept line (`...المزيد`). Returns the new length.
pub fn suffix_cut(line: &str) -> usize {
    for tail in ["...المزيد", "…المزيد", "... المزيد", "… المزيد"] {
        if let Some(rest) = line.strip_suffix(tail) {
            return rest.trim_end_matches(is_blank).len();
        }
    }
    line.len()
}

fn floor_char(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The verdict on each line of one article: `Ok(span)` keeps `span` (perhaps narrower
/// than the line), `Err(family)` drops the line.
pub fn clean_lines(body: &str, lines: &[Span], title: Option<&str>) -> Vec<Result<Span, Family>> {
    clean_lines_with(body, lines, title, None)
}

/// [`clean_lines`] with the outlet's learned templates ([`super::learned`]) applied too.
pub fn clean_lines_with(
    body: &str,
    lines: &[Span],
    title: Option<&str>,
    learned: Option<&super::learned::OutletRules>,
) -> Vec<Result<Span, Family>> {
    let title_key = title.map(|t| fold(t, 400)).filter(|t| !t.is_empty());
    let title_len = title.map_or(0, str::len);
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    let mut verdicts: Vec<Result<Span, Family>> = lines
        .iter()
        .map(|&span| {
            let line = span.of(body);
            if let Some(family) = classify(line) {
                return Err(family);
            }
            let (span, line) = match learned.map(|r| r.judge(line)) {
                Some(super::learned::Verdict::Drop) => return Err(Family::Learned),
                Some(super::learned::Verdict::Trim { start, end }) => {
                    let s = Span {
                        start: span.start + start,
                        end: span.start + end,
                    };
                    // What is left may be a byline of the families above.
                    if classify(s.of(body)).is_some() {
                        return Err(Family::Learned);
                    }
                    (s, s.of(body))
                }
                _ => (span, line),
            };
            if !seen.insert(line) {
                return Err(Family::Duplicate);
            }
            if let Some(t) = &title_key {
                if line.len() <= title_len * 2 + 16
                    && line.len() * 2 + 16 >= title_len
                    && fold(line, 400) == *t
                {
                    return Err(Family::TitleEcho);
                }
            }
            let start = span.start + prefix_cut(line);
            let end = span.start + suffix_cut(line);
            if end <= start {
                return Err(Family::Widget);
            }
            Ok(Span { start, end })
        })
        .collect();
    super::linklists::mark(body, lines, &mut verdicts);
    verdicts
}

/// The outlet a sign-off names: `The post … appeared first on X.` or `2024 © X. …`.
pub fn signoff_outlet(body: &str) -> Option<String> {
    for span in lines(body).iter().rev().take(12) {
        let line = span.of(body);
        if let Some(i) = line.rfind(" appeared first on ") {
            if line.starts_with("The post ") {
                let name = line[i + " appeared first on ".len()..].trim_end_matches(['.', ' ']);
                if !name.is_empty() {
                    return Some(name.trim().to_string());
                }
            }
        }
        if let Some(i) = line.find('©') {
            let after = line[i + '©'.len_utf8()..].trim_start();
            let end = after.find(['.', '|', '،']).unwrap_or(after.len());
            let name = after[..end].trim();
            if !name.is_empty() && name.chars().count() <= 40 {
                return Some(name.to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (input, its folded text): `for_each_folded_word` yields exactly its words.
    const FOLDED: &[(&str, &str)] = &[
        ("وزارة الدفاع: «بيان»", "وزاره الدفاع بيان"),
        ("  مُسَيَّرةٌ...إلى  ", "مسيره الي"),
        ("Kidal, 12 Mai", "kidal 12 mai"),
        ("ÉTÉ à Gao؟ نعم", "été à gao نعم"),
        ("كل\u{200C}مة", "كلمه"),
        ("", ""),
        ("، ... !", ""),
        ("١٢ سنة", "١٢ سنه"),
    ];

    #[test]
    fn folded_words_are_the_words_of_the_folded_text() {
        for (input, folded) in FOLDED {
            assert_eq!(fold(input, input.len()), *folded, "fold({input:?})");
            let mut words = Vec::new();
            for_each_folded_word(input, |w| words.push(w.to_string()));
            let expected: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
            assert_eq!(words, expected, "for_each_folded_word({input:?})");
        }
    }

    fn verdicts(body: &str, title: Option<&str>) -> Vec<(String, Option<Family>)> {
        let ls = lines(body);
        clean_lines(body, &ls, title)
            .into_iter()
            .zip(&ls)
            .map(|(v, l)| match v {
                Ok(s) => (s.of(body).to_string(), None),
                Err(f) => (l.of(body).to_string(), Some(f)),
            })
            .collect()
    }

    #[test]
    fn lines_are_trimmed_spans() {
        let body = " a \n\n\u{200F}b\r\n";
        let ls = lines(body);
        assert_eq!(ls.len(), 2);
        assert_eq!(ls[0].of(body), "a");
        assert_eq!(ls[1].of(body), "b");
    }

    #[test]
    fn boilerplate_families() {
        let cases: &[(&str, Family)] = &[
            ("The post شرخ كبير appeared first on الجزائر الجديدة.", Family::SignOff),
            ("2024 © الإمارات اليوم. جميع حقوق النشر محفوظة.", Family::Copyright),
            ("إقرأ أيضاً | وفي مالي، منيت القوات", Family::CrossLink),
            ("أنظر أيضا | مالي: صور أول هزيمة كبرى لفاغنر", Family::CrossLink),
            ("اقرأ أيضاً:", Family::CrossLink),
            ("إعادة استخدام هذا المحتوى", Family::Widget),
            ("شاركها.", Family::Widget),
            ("اترك تعليقاً", Family::Widget),
            ("Exit mobile version", Family::Widget),
            ("...المزيد", Family::Widget),
            ("// انتهى //", Family::Widget),
            ("TT", Family::Watermark),
            ("* * *", Family::Separator),
            ("------------------", Family::Separator),
            ("يمكنكم استلام إشعارات بأهم الموضوعات بعد تحميل أحدث نسخة من تطبيق بي بي سي عربي على هاتفكم المحمول.", Family::Promo),
            ("** جميع المقالات المنشورة تمثل رأي كتابها فقط.", Family::Disclaimer),
            ("فرانس24/ أ ف ب", Family::Credit),
            ("* خدمة «نيويورك تايمز»", Family::Credit),
            ("للتواصل مع الكاتب ارسل رسالة SMS", Family::Contact),
            ("737221 - Zain", Family::Contact),
            ("بروكسل 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس", Family::Dateline),
            ("18:34 ت م", Family::Dateline),
            ("عين اليوم – متابعات", Family::Byline),
            ("عمر إبراهيم – عين اليوم", Family::Byline),
        ];
        for (line, family) in cases {
            assert_eq!(classify(line), Some(*family), "{line}");
        }
    }

    #[test]
    fn article_text_is_kept() {
        for line in [
            "خريطة الانتشار",
            "تمرد الطوارق",
            "وقال أحد قادة \"الطوارق\" في مالي إن الهجوم أسفر عن سقوط 54 عنصراً.",
            "مالي",
            "CSP-DPA",
            "واتهمت السلطات المالية جماعات الطوارق والمسلحين بالتعاون.",
        ] {
            assert_eq!(classify(line), None, "{line}");
        }
    }

    #[test]
    fn duplicates_title_echo_and_cuts() {
        let body = "العنوان هنا\nتعليق الصورة\nتعليق الصورة\nTT\nالعنوان هنا\nدبي (CNN)-- نص الخبر...المزيد";
        let v = verdicts(body, Some("العنوان هنا"));
        assert_eq!(v[0].1, Some(Family::TitleEcho));
        assert_eq!(v[1].1, None);
        assert_eq!(v[2].1, Some(Family::Duplicate));
        assert_eq!(v[3].1, Some(Family::Watermark));
        assert_eq!(v[4].1, Some(Family::Duplicate));
        assert_eq!(v[5], ("نص الخبر".to_string(), None));
    }

    #[test]
    fn outlet_from_signoffs() {
        assert_eq!(
            signoff_outlet("نص\nThe post عنوان appeared first on الجزائر الجديدة.").as_deref(),
            Some("الجزائر الجديدة")
        );
        assert_eq!(
            signoff_outlet(
                "نص\n2024 © الإمارات اليوم. جميع حقوق النشر محفوظة.\nExit mobile version"
            )
            .as_deref(),
            Some("الإمارات اليوم")
        );
        assert_eq!(signoff_outlet("نص فقط"), None);
    }
}
