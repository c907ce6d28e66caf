//! Boilerplate learned per outlet: the templates one outlet repeats in a large share of
//! its articles (`رابط الخبر بصحيفة الوئام: …`, `عين اليوم – متابعات`, its datelines, app
//! promotions and disclaimers), kept as reviewed data in `index-schema/boilerplate.json`
//! and found by `akhbar boilerplate-report` ([`super::learned_report`]).
//!
//! Each outlet has three lists, written as the outlet writes them and matched after
//! [`clean::fold`] (letter variants unified, diacritics and punctuation dropped), on word
//! boundaries:
//! - `lines`: a line equal to one of them is dropped;
//! - `prefixes`: a line that begins with one of them (and is at most `max_drop_bytes`
//!   long) is dropped;
//! - `cut_prefixes`: a line that begins with one of them keeps the rest (a dateline or a
//!   byline glued to the first sentence); the cut text stays in the article's `rest`;
//! - `datelines`: words that mark the outlet's dateline (`سبق- الرياض:`,
//!   `عبدالله البرقاوي- سبق- الرياض:`): when one of the first `dateline_max_words` words
//!   of a line is one of them and a `:` follows within them, the line is kept after the `:`;
//! - `cut_from`: text (as written) from which the rest of a line is boilerplate
//!   (`رابط الخبر بصحيفة الوئام:` glued to the last paragraph): the line is kept up to it.

use rustc_hash::FxHashMap;

use super::clean;
use crate::config::stories::file_fingerprint;
use crate::config::BoilerplateConfig;

pub use crate::config::stories::DEFAULT_BOILERPLATE_JSON;

/// One outlet's rules, folded.
#[derive(Clone, Debug, Default)]
pub struct OutletRules {
    lines: Vec<String>,
    prefixes: Vec<String>,
    cut_prefixes: Vec<String>,
    datelines: Vec<String>,
    cut_from: Vec<String>,
    max_drop_bytes: usize,
    dateline_max_words: usize,
    /// Longest key, in characters: how much of a line is folded.
    fold_chars: usize,
}

/// What a learned rule does to one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Keep,
    Drop,
    /// Keep bytes `start..end` of the line.
    Trim {
        start: usize,
        end: usize,
    },
}

fn starts_with_words(folded: &str, prefix: &str) -> bool {
    folded.starts_with(prefix)
        && (folded.len() == prefix.len() || folded.as_bytes()[prefix.len()] == b' ')
}

impl OutletRules {
    /// The verdict on one trimmed line.
    pub fn judge(&self, line: &str) -> Verdict {
        let end = self
            .cut_from
            .iter()
            .filter_map(|m| line.find(m.as_str()))
            .min()
            .map_or(line.len(), |at| {
                line[..at].trim_end_matches(clean::is_blank).len()
            });
        if end == 0 {
            return Verdict::Drop;
        }
        let start = match self.judge_start(&line[..end]) {
            Verdict::Drop => return Verdict::Drop,
            Verdict::Trim { start, .. } => start,
            Verdict::Keep => 0,
        };
        if start == 0 && end == line.len() {
            Verdict::Keep
        } else if start >= end {
            Verdict::Drop
        } else {
            Verdict::Trim { start, end }
        }
    }

    /// Whole-line rules, cut prefixes and datelines.
    fn judge_start(&self, line: &str) -> Verdict {
        if self.fold_chars == 0 {
            return Verdict::Keep;
        }
        let head = clean::fold(line, self.fold_chars + 1);
        if head.is_empty() {
            return Verdict::Keep;
        }
        if line.len() <= self.max_drop_bytes {
            if self.lines.contains(&head) && clean::fold(line, 4000) == head {
                return Verdict::Drop;
            }
            if self.prefixes.iter().any(|p| starts_with_words(&head, p)) {
                return Verdict::Drop;
            }
        }
        let cut = match self
            .cut_prefixes
            .iter()
            .find(|p| starts_with_words(&head, p))
        {
            Some(p) => cut_point(line, p),
            None => self.dateline_cut(line, &head),
        };
        match cut {
            Some(at) if at < line.len() => Verdict::Trim {
                start: at,
                end: line.len(),
            },
            Some(_) => Verdict::Drop,
            None => Verdict::Keep,
        }
    }

    /// After a dateline `… سبق- الرياض:` at the start of a line.
    fn dateline_cut(&self, line: &str, head: &str) -> Option<usize> {
        if self.datelines.is_empty() {
            return None;
        }
        let n = self.dateline_max_words;
        if !head
            .split(' ')
            .take(n)
            .any(|w| self.datelines.iter().any(|d| d == w))
        {
            return None;
        }
        let colon = line.find(':')?;
        if clean::fold(&line[..colon], 400).split(' ').count() > n {
            return None;
        }
        let rest = &line[colon + 1..];
        Some(colon + 1 + (rest.len() - rest.trim_start_matches(clean::is_blank).len()))
    }
}

/// The byte after `prefix` (folded) in `line` and the separators after it.
fn cut_point(line: &str, prefix: &str) -> Option<usize> {
    let mut end = None;
    for (i, c) in line.char_indices().take(400) {
        let at = i + c.len_utf8();
        if clean::fold(&line[..at], 400) == prefix {
            end = Some(at);
            break;
        }
    }
    let end = end?;
    let rest = &line[end..];
    // Skip the separators (and closing marks) after the prefix: ` – `, `:`, `)`.
    let skipped = rest
        .char_indices()
        .find(|&(_, c)| c.is_alphanumeric() || c == '"' || c == '«' || c == '(')
        .map_or(rest.len(), |(i, _)| i);
    Some(end + skipped)
}

/// Every outlet's rules.
#[derive(Clone, Debug, Default)]
pub struct Rules {
    by_outlet: FxHashMap<String, OutletRules>,
    /// A fingerprint of the rules file, recorded in every index.
    pub fingerprint: String,
}

impl Rules {
    /// No rules.
    pub fn empty() -> Rules {
        Rules::default()
    }

    /// The compiled-in rules.
    pub fn builtin() -> Rules {
        Rules::from_json(DEFAULT_BOILERPLATE_JSON)
            .expect("the compiled-in boilerplate.json is valid (checked by tests)")
    }

    /// Parses `boilerplate.json` (for tests and tools; akhbar reads it with the rest of
    /// the definition, [`crate::config::Config::boilerplate`]).
    pub fn from_json(json: &str) -> Result<Rules, String> {
        let file = BoilerplateConfig::from_json(json).map_err(|e| e.to_string())?;
        Ok(Rules::from_config(&file, file_fingerprint(json)))
    }

    /// The rules of a checked `boilerplate.json`, folded. Outlets are canonical names
    /// (`outlets.json`).
    pub fn from_config(file: &BoilerplateConfig, fingerprint: String) -> Rules {
        let fold_all = |list: &[String]| -> Vec<String> {
            list.iter()
                .map(|s| clean::fold(s, 400))
                .filter(|f| !f.is_empty())
                .collect()
        };
        let mut by_outlet = FxHashMap::default();
        for (outlet, rules) in &file.outlets {
            let lines = fold_all(&rules.lines);
            let prefixes = fold_all(&rules.prefixes);
            let cut_prefixes = fold_all(&rules.cut_prefixes);
            let datelines = fold_all(&rules.datelines);
            let fold_chars = lines
                .iter()
                .chain(&prefixes)
                .chain(&cut_prefixes)
                .chain(&datelines)
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0);
            by_outlet.insert(
                outlet.clone(),
                OutletRules {
                    lines,
                    prefixes,
                    cut_prefixes,
                    datelines,
                    cut_from: rules.cut_from.clone(),
                    max_drop_bytes: file.max_drop_bytes,
                    dateline_max_words: file.dateline_max_words,
                    fold_chars,
                },
            );
        }
        Rules {
            by_outlet,
            fingerprint,
        }
    }

    /// The rules of one canonical outlet, if it has any.
    pub fn for_outlet(&self, outlet: &str) -> Option<&OutletRules> {
        self.by_outlet.get(outlet)
    }

    /// The outlets that have rules.
    pub fn outlets(&self) -> impl Iterator<Item = &str> {
        self.by_outlet.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules::from_json(
            r#"{"max_drop_bytes": 400, "dateline_max_words": 5, "outlets": {"Al-Weeam": {
                "lines": ["حمّل تطبيق الوئام"],
                "prefixes": ["رابط الخبر بصحيفة الوئام"],
                "cut_prefixes": ["الوئام - متابعات"],
                "datelines": ["سبق"],
                "cut_from": ["رابط الخبر بصحيفة الوئام:"]}}}"#,
        )
        .unwrap()
    }

    #[test]
    fn lines_prefixes_and_cuts() {
        let r = rules();
        let w = r.for_outlet("Al-Weeam").unwrap();
        assert_eq!(
            w.judge("رابط الخبر بصحيفة الوئام: ولي العهد يستقبل"),
            Verdict::Drop
        );
        assert_eq!(w.judge("حمل تطبيق الوئام."), Verdict::Drop);
        // A line that only begins like a listed line is kept.
        assert_eq!(w.judge("حمّل تطبيق الوئام لتقرأ أكثر"), Verdict::Keep);
        // Word boundaries: الوئامية is not الوئام.
        assert_eq!(w.judge("رابط الخبر بصحيفة الوئامية"), Verdict::Keep);
        let kept = |line: &str| match w.judge(line) {
            Verdict::Trim { start, end } => line[start..end].to_string(),
            v => panic!("{line}: {v:?}"),
        };
        assert_eq!(
            kept("الوئام – متابعات: أعلنت الوزارة اليوم"),
            "أعلنت الوزارة اليوم"
        );
        assert_eq!(
            kept("عبدالله البرقاوي- سبق- الرياض: أعلن طيران"),
            "أعلن طيران"
        );
        assert_eq!(kept("سبق- أبها: دشن الأمير"), "دشن الأمير");
        // A colon further on is not a dateline's.
        assert_eq!(
            w.judge("قال رئيس النادي سبق أن أعلنا الأسماء كلها هنا وهناك: لا تغيير"),
            Verdict::Keep
        );
        assert_eq!(
            kept("واستعرض الاجتماع المستجدات. رابط الخبر بصحيفة الوئام: الأمير يجتمع"),
            "واستعرض الاجتماع المستجدات."
        );
        assert_eq!(w.judge("الوئام - متابعات"), Verdict::Drop);
        assert_eq!(w.judge("أعلنت الوزارة اليوم"), Verdict::Keep);
        assert!(r.for_outlet("Okaz").is_none());
    }

    #[test]
    fn builtin_rules_parse_and_name_known_outlets() {
        let r = Rules::builtin();
        let config = crate::config::Config::builtin();
        for outlet in r.outlets() {
            assert!(
                config.outlets.outlets.contains_key(outlet),
                "boilerplate.json names `{outlet}`, not a canonical outlet"
            );
        }
        assert!(r.for_outlet("Al-Weeam").is_some());
    }

    #[test]
    fn empty_entries_are_reported() {
        let err = Rules::from_json(r#"{"max_drop_bytes": 1, "dateline_max_words": 1, "outlets": {"X": {"lines": ["--"]}}}"#)
            .unwrap_err();
        assert!(err.contains("X") && err.contains("--"), "{err}");
    }
}
