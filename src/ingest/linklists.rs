//! Inline link lists: runs of headline-like lines inside a body — BBC's related
//! stories, printed between two paragraphs without a heading:
//!
//! ```text
//! …paragraph…
//! قرار روسيا بسحب القوات من سوريا في ميزان صحف عربية
//! جنرال أمريكي: روسيا تستخدم سوريا كحقل للتدريب بالذخيرة الحية
//! الطيار الروسي الذي أسقطت طائرته في سوريا "فجّر نفسه بقنبلة يدوية"
//! …paragraph…
//! ```
//!
//! A line is headline-like when it is short (4–16 words, at most 120 letters), has
//! Arabic letters, at most one short-vowel mark (verse is vocalised), ends without sentence punctuation (`.` `!` `،` `:` `؛`; a `؟` or a
//! closing quote may end a headline), holds no sentence break (`. ` inside) and does not
//! start like an item of a list (a digit, `-`, `*`, `•`), and is not the article's own
//! text written short ([`is_text_line`]: a line opening with وقال / وفي / ثم …, a
//! salutation, verse drawn out with tatweel, a `label : value` field). A run of [`MIN_RUN`] to
//! [`MAX_RUN`] such lines of at least six words on average (verse and lists of book
//! titles are shorter), kept by the other rules and following a paragraph, is
//! dropped as [`Family::LinkList`] (two such lines suffice between two paragraphs): other articles' headlines, not this article's text.
//! Longer runs (verse, programme listings) and runs at the top of a body (a headline
//! and subheadings) stay.

use super::clean::{Family, Span};

/// Fewest headline-like lines in a run that is dropped.
pub const MIN_RUN: usize = 3;
/// Fewest lines in a run between two paragraphs.
pub const MIN_RUN_BETWEEN: usize = 2;
/// Most: longer runs are verse or listings, kept.
pub const MAX_RUN: usize = 8;
/// The fewest words per line, on average, in a run that is dropped.
const MIN_MEAN_WORDS: usize = 6;
/// A line at least this long (bytes) is a paragraph.
const PARAGRAPH_BYTES: usize = 160;

/// Whether one line looks like a headline.
pub fn is_headline_like(line: &str) -> bool {
    let letters = line.chars().count();
    if !(12..=120).contains(&letters) {
        return false;
    }
    let words = line.split_whitespace().count();
    if !(4..=16).contains(&words) {
        return false;
    }
    // Verse is vocalised; headlines are not.
    let marks = line
        .chars()
        .filter(|c| ('\u{064B}'..='\u{0652}').contains(c))
        .count();
    if marks >= 2 {
        return false;
    }
    if !line.chars().any(|c| ('\u{0621}'..='\u{064A}').contains(&c)) {
        return false;
    }
    let first = line.chars().next().unwrap_or(' ');
    if first.is_ascii_digit()
        || ('\u{0660}'..='\u{0669}').contains(&first)
        || matches!(first, '-' | '*' | '•' | '–' | '—' | '·' | '+')
    {
        return false;
    }
    let last = line.trim_end().chars().last().unwrap_or(' ');
    if matches!(last, '.' | '!' | '،' | ',' | ':' | '؛' | ';' | '…' | '-') {
        return false;
    }
    !line.contains(". ") && !line.contains("، ") && !is_text_line(line)
}

/// Words that start a sentence continuing the text (and he said, and in, then): a line
/// opening with one is the article's own text (a live blog's entries, a quote), never
/// another article's headline.
const CONTINUATIONS: &[&str] = &[
    "وقال",
    "وقالت",
    "وأضاف",
    "وأضافت",
    "وأوضح",
    "وأوضحت",
    "وحذر",
    "وحذرت",
    "وأكد",
    "وأكدت",
    "وذكر",
    "وذكرت",
    "وتابع",
    "وتابعت",
    "وأشار",
    "وأشارت",
    "ويقول",
    "وتقول",
    "ويتساءل",
    "وفي",
    "وكان",
    "وكانت",
    "وقد",
    "ولا",
    "وهو",
    "وهي",
    "ثم",
    "كما",
];

/// Marks of a letter's salutation (a letter to the king: addressee, حفظه الله, السلام
/// عليكم) that no headline carries.
const SALUTATIONS: &[&str] = &["السلام عليكم", "حفظه الله", "حفظها الله", "حفظكم الله"];

/// Lines that are the article's own text though short and unpunctuated: a sentence
/// that continues the text, a salutation, a verse or song line drawn out with tatweel
/// (عــــذب), a field of a list written `label : value` (شعبة الرياضيات : …, تونس : …).
fn is_text_line(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or_default();
    CONTINUATIONS.contains(&first)
        || SALUTATIONS.iter().any(|s| line.contains(s))
        || line.contains("\u{0640}\u{0640}")
        || line.contains(" : ")
}

/// Marks the link lists among `verdicts` (one per line of `lines`, as
/// [`super::clean::clean_lines`] gave them) as dropped; returns how many lines it dropped.
pub fn mark(body: &str, lines: &[Span], verdicts: &mut [Result<Span, Family>]) -> usize {
    let mut dropped = 0;
    let mut i = 0;
    // Whether the kept line before position i is a paragraph.
    let mut after_paragraph = false;
    while i < verdicts.len() {
        let Ok(span) = verdicts[i] else {
            i += 1;
            continue;
        };
        if !is_headline_like(span.of(body)) {
            after_paragraph = span.len() >= PARAGRAPH_BYTES;
            i += 1;
            continue;
        }
        // A run of kept headline-like lines (dropped lines in between do not break it).
        let mut run = vec![i];
        let mut j = i + 1;
        while j < verdicts.len() {
            match verdicts[j] {
                Err(_) => {}
                Ok(s) if is_headline_like(s.of(body)) => run.push(j),
                Ok(_) => break,
            }
            j += 1;
        }
        let words: usize = run
            .iter()
            .filter_map(|&k| verdicts[k].ok())
            .map(|s| s.of(body).split_whitespace().count())
            .sum();
        // Headlines are sentences of 6 words and more on average; verse lines and
        // titles of books are shorter.
        let long_enough = words >= MIN_MEAN_WORDS * run.len();
        // Two lines make a list only between two paragraphs.
        let before_paragraph = verdicts[j..]
            .iter()
            .find_map(|v| v.ok())
            .is_some_and(|s| s.len() >= PARAGRAPH_BYTES && !is_headline_like(s.of(body)));
        let min_run = if before_paragraph {
            MIN_RUN_BETWEEN
        } else {
            MIN_RUN
        };
        if after_paragraph && long_enough && (min_run..=MAX_RUN).contains(&run.len()) {
            for &k in &run {
                verdicts[k] = Err(Family::LinkList);
            }
            dropped += run.len();
        }
        after_paragraph = false;
        i = j;
    }
    debug_assert_eq!(lines.len(), verdicts.len());
    dropped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::clean::{clean_lines, lines};

    /// The lines kept, as text.
    fn kept(body: &str) -> Vec<String> {
        let spans = lines(body);
        clean_lines(body, &spans, None)
            .into_iter()
            .filter_map(Result::ok)
            .map(|s| s.of(body).to_string())
            .collect()
    }

    const PARAGRAPH: &str = "وقالت وزارة الخارجية الروسية إن بضع عشرات من المواطنين الروس قتلوا وجرحوا في معركة وقعت مؤخرا في سوريا، وإنهم ليسوا من الجنود النظاميين.";

    #[test]
    fn headlines_and_sentences() {
        assert!(is_headline_like("من هم المرتزقة الروس الغامضون في سوريا؟"));
        assert!(is_headline_like(
            "جنرال أمريكي: روسيا تستخدم سوريا كحقل للتدريب بالذخيرة الحية"
        ));
        assert!(is_headline_like(
            "الطيار الروسي الذي أسقطت طائرته في سوريا \"فجّر نفسه بقنبلة يدوية\""
        ));
        assert!(!is_headline_like("وقال إن القوات انسحبت."));
        assert!(!is_headline_like("1- تعزيز التعاون الأمني بين البلدين"));
        assert!(!is_headline_like("شاركها"));
        assert!(!is_headline_like(PARAGRAPH));
        // Vocalised verse.
        assert!(!is_headline_like("سقطتُ لحينٍ في الفراش لزمته"));
    }

    /// Short lines outside BBC that are the article's own text (dropped before this
    /// rule on the corpus: a live blog, a letter to the king, verse, a list of results).
    #[test]
    fn text_written_short_is_not_a_headline() {
        // A live blog's entries.
        assert!(!is_headline_like(
            "وفي هذا السياق وجه ترامب تحذيرا لإيران وروسيا على خلفية صلاتهما بالنظام السوري"
        ));
        assert!(!is_headline_like(
            "وحذر روسيا من \"مواصلة السير في طريق مظلم\""
        ));
        // A letter's salutation.
        assert!(!is_headline_like("ملك المملكة العربية السعودية حفظه الله"));
        assert!(!is_headline_like("السلام عليكم ورحمة الله وبركاته :-"));
        // Verse drawn out with tatweel.
        assert!(!is_headline_like("عــــذب إذا ما ذقتــــــه قلت ازدد"));
        // Fields of a list.
        assert!(!is_headline_like(
            "شعبة الرياضيات : آدم الخشناوي المعهد النموذجي بنابل"
        ));
        // A headline with a speaker's colon and a proclitic's tatweel stays one.
        assert!(is_headline_like(
            "مصدر يقول لـCNN إن بومبيو أبلغ الأمير أن \"مستقبله على المحك\""
        ));
        assert!(is_headline_like(
            "جنرال أمريكي: روسيا تستخدم سوريا كحقل للتدريب"
        ));
    }

    #[test]
    fn a_letter_and_a_live_blog_between_paragraphs_stay() {
        let letter = format!(
            "{PARAGRAPH}\nالأخ العزيز خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود\nملك المملكة العربية السعودية حفظه الله\nالسلام عليكم ورحمة الله وبركاته :-\n{PARAGRAPH} ثم."
        );
        assert_eq!(kept(&letter).len(), 5);
        let blog = format!(
            "{PARAGRAPH}\nوفي هذا السياق وجه ترامب تحذيرا لإيران وروسيا على خلفية صلاتهما بالنظام السوري\nوحذر روسيا من مواصلة السير في طريق مظلم هذا الأسبوع\nرئيسة الوزراء البريطانية تقول ألا بديل عن استخدام القوة العسكرية في سوريا\n{PARAGRAPH} ثم."
        );
        assert_eq!(kept(&blog).len(), 5);
    }

    #[test]
    fn a_run_between_paragraphs_is_dropped() {
        let body = format!(
            "{PARAGRAPH}\nقرار روسيا بسحب القوات من سوريا في ميزان صحف عربية\nجنرال أمريكي: روسيا تستخدم سوريا كحقل للتدريب\nمن هم المرتزقة الروس الغامضون في سوريا؟\nوزراء خارجية روسيا وسوريا وإيران يصفون القصف بالعدوان\n{PARAGRAPH} وأضاف البيان."
        );
        let k = kept(&body);
        assert_eq!(k.len(), 2, "{k:?}");
        assert!(k.iter().all(|l| l.starts_with("وقالت")));
    }

    #[test]
    fn two_headlines_between_paragraphs_are_dropped() {
        let body = format!(
            "{PARAGRAPH}\nفاغنر: ظل روسيا الطويل في سوريا الآن\nديلي تلغراف: علاقة روسيا مع إيران زواج منفعة\n{PARAGRAPH} ثم."
        );
        assert_eq!(kept(&body).len(), 2);
    }

    #[test]
    fn subheadings_verse_and_a_top_of_body_stay() {
        // One subheading between paragraphs.
        let body = format!("{PARAGRAPH}\nلماذا تحتاج دولة كروسيا إلى مرتزقة؟\n{PARAGRAPH} ثم.");
        assert_eq!(kept(&body).len(), 3);
        // Two short lines are not a list.
        let body = format!(
            "{PARAGRAPH}\nالسطر الأول من العنوان هنا\nوالسطر الثاني من العنوان هنا\n{PARAGRAPH} ثم."
        );
        assert_eq!(kept(&body).len(), 4);
        // Two headlines at the end of a body are not either.
        let body = format!("{PARAGRAPH}\nفاغنر: ظل روسيا الطويل في سوريا الآن\nديلي تلغراف: علاقة روسيا مع إيران زواج منفعة");
        assert_eq!(kept(&body).len(), 3);
        // Verse: a long run of short lines.
        let verse: Vec<String> = (0..10)
            .map(|i| format!("بيت من الشعر رقم هنا {}", "ا".repeat(i + 1)))
            .collect();
        let body = format!("{PARAGRAPH}\n{}\n{PARAGRAPH} ثم.", verse.join("\n"));
        assert_eq!(kept(&body).len(), 12);
        // Headline-like lines at the top of a body, before any paragraph.
        let body = format!("عنوان فرعي أول للمقال هنا\nعنوان فرعي ثان للمقال هنا\nعنوان فرعي ثالث للمقال هنا\n{PARAGRAPH}");
        assert_eq!(kept(&body).len(), 4);
    }
}
