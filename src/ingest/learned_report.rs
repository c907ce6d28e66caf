//! `akhbar boilerplate-report`: the lines and line prefixes that recur across a large
//! share of one outlet's articles, after the cleaner has run — the candidates for
//! `index-schema/boilerplate.json` (reviewed by hand, never applied blindly).
//!
//! Per outlet, every line the cleaner keeps is folded ([`clean::fold`]: letter variants
//! unified, diacritics and punctuation dropped) and counted once per article, whole and
//! by its first one to six words. A key is reported when at least `min_share` of the
//! outlet's articles (and `min_articles`) have it; a prefix is left out when a longer
//! prefix of it is in nearly as many articles (it says nothing more), and when other
//! outlets use it nearly as often (`specificity`: the outlet's share must be that many
//! times the rest of the corpus' share — `وقال` opens paragraphs everywhere, `رابط الخبر
//! بصحيفة الوئام` only in one paper). Prefixes have at least two words.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::clean::{self, Span};
use super::outlets::OutletTable;
use super::record::Record;

/// What counts as recurring.
#[derive(Clone, Copy, Debug)]
pub struct ReportSettings {
    pub min_share: f64,
    pub min_articles: u64,
    /// Longest prefix counted, in words.
    pub max_prefix_words: usize,
    /// How many times more often than in the other outlets a key must occur.
    pub specificity: f64,
    /// Keep every n-th change the learned rules make, as a sample to read (0: none).
    pub sample_every: u64,
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings {
            min_share: 0.02,
            min_articles: 20,
            max_prefix_words: 6,
            specificity: 5.0,
            sample_every: 0,
        }
    }
}

/// One recurring line or prefix of an outlet.
#[derive(Clone, Debug, Serialize)]
pub struct Recurring {
    /// `line` (the whole folded line) or `prefix` (its first words).
    pub kind: &'static str,
    /// The folded key.
    pub key: String,
    /// Articles of the outlet with it.
    pub articles: u64,
    pub share: f64,
    /// Share of those articles where it is the first / last kept line.
    pub first_share: f64,
    pub last_share: f64,
    /// The line as written, the first time it was seen (cut to 160 characters).
    pub example: String,
}

/// The report for one outlet.
#[derive(Clone, Debug, Serialize)]
pub struct OutletReport {
    pub outlet: String,
    pub articles: u64,
    pub recurring: Vec<Recurring>,
    /// What the learned rules take out of this outlet's articles.
    pub learned: LearnedEffect,
}

/// What the learned rules of `boilerplate.json` do to one outlet's articles.
#[derive(Clone, Debug, Default, Serialize)]
pub struct LearnedEffect {
    /// Lines dropped whole.
    pub lines_dropped: u64,
    /// Lines kept with a dateline, prefix or tail cut off.
    pub lines_trimmed: u64,
    /// Articles with at least one of those.
    pub articles: u64,
    /// Bytes taken out of the indexed text.
    pub bytes: u64,
    /// Every `sample_every`-th change: (record id, the line, what is kept or null).
    pub samples: Vec<(String, String, Option<String>)>,
}

#[derive(Default)]
struct Counter {
    articles: u64,
    first: u64,
    last: u64,
    example: String,
}

#[derive(Default)]
struct OutletCounts {
    articles: u64,
    learned: LearnedEffect,
    changes: u64,
    keys: FxHashMap<(bool, String), Counter>,
}

/// Counts recurring lines and prefixes over records, per canonical outlet.
#[derive(Default)]
pub struct BoilerplateCounter {
    outlets: FxHashMap<String, OutletCounts>,
    settings: ReportSettings,
}

impl BoilerplateCounter {
    pub fn new(settings: ReportSettings) -> BoilerplateCounter {
        BoilerplateCounter {
            outlets: FxHashMap::default(),
            settings,
        }
    }

    /// Counts one record's kept lines (as the cleaner, learned rules included, leaves them).
    pub fn add(&mut self, record: &Record, outlets: &OutletTable, rules: &super::learned::Rules) {
        let body = record.body.as_str();
        let outlet = record
            .outlet
            .clone()
            .or_else(|| clean::signoff_outlet(body))
            .map_or_else(|| "(none)".to_string(), |o| outlets.canonical(&o));
        let lines = clean::lines(body);
        let title = record.title.as_deref();
        let learned = clean::clean_lines_with(body, &lines, title, rules.for_outlet(&outlet));
        let plain = clean::clean_lines(body, &lines, title);
        let max_words = self.settings.max_prefix_words;
        let sample_every = self.settings.sample_every;
        let counts = self.outlets.entry(outlet).or_default();
        counts.articles += 1;
        let mut changed = false;
        for (line, (before, after)) in lines.iter().zip(plain.iter().zip(&learned)) {
            let (Ok(before), after) = (before, after) else {
                continue;
            };
            let kept = match after {
                Err(_) => None,
                Ok(a) if a == before => continue,
                Ok(a) => Some(a.of(body).to_string()),
            };
            let effect = &mut counts.learned;
            effect.bytes += (before.len() - kept.as_ref().map_or(0, String::len)) as u64;
            if kept.is_some() {
                effect.lines_trimmed += 1;
            } else {
                effect.lines_dropped += 1;
            }
            changed = true;
            counts.changes += 1;
            if sample_every > 0 && counts.changes % sample_every == 1 {
                let shown: String = line.of(body).chars().take(200).collect();
                let kept = kept.map(|k| k.chars().take(120).collect());
                effect.samples.push((record.id.clone(), shown, kept));
            }
        }
        counts.learned.articles += u64::from(changed);
        let kept: Vec<Span> = learned.into_iter().filter_map(Result::ok).collect();
        let mut seen: FxHashSet<(bool, String)> = FxHashSet::default();
        let n = kept.len();
        for (i, span) in kept.iter().enumerate() {
            let line = span.of(body);
            let folded = clean::fold(line, 160);
            if folded.is_empty() {
                continue;
            }
            let words: Vec<&str> = folded.split(' ').collect();
            let mut keys = vec![(true, folded.clone())];
            for k in 2..=max_words.min(words.len().saturating_sub(1)) {
                keys.push((false, words[..k].join(" ")));
            }
            for key in keys {
                if !seen.insert(key.clone()) {
                    continue;
                }
                let c = counts.keys.entry(key).or_default();
                c.articles += 1;
                c.first += u64::from(i == 0);
                c.last += u64::from(i + 1 == n);
                if c.example.is_empty() {
                    c.example = line.chars().take(160).collect();
                }
            }
        }
    }

    /// The recurring keys of every outlet, outlets by name, keys by article count.
    pub fn report(self) -> Vec<OutletReport> {
        let settings = self.settings;
        let mut totals: FxHashMap<&(bool, String), u64> = FxHashMap::default();
        for counts in self.outlets.values() {
            for (key, c) in &counts.keys {
                if c.articles >= settings.min_articles {
                    *totals.entry(key).or_default() += c.articles;
                }
            }
        }
        let all_articles: u64 = self.outlets.values().map(|c| c.articles).sum();
        let specific = |key: &(bool, String), articles: u64, outlet_articles: u64| {
            let elsewhere = totals.get(key).copied().unwrap_or(articles) - articles;
            let rest = all_articles.saturating_sub(outlet_articles).max(1);
            articles as f64 / outlet_articles.max(1) as f64
                >= settings.specificity * elsewhere as f64 / rest as f64
        };
        let mut out: Vec<OutletReport> = self
            .outlets
            .iter()
            .map(|(outlet, counts)| {
                let floor =
                    (settings.min_share * counts.articles as f64).max(settings.min_articles as f64);
                let frequent: FxHashMap<&(bool, String), &Counter> = counts
                    .keys
                    .iter()
                    .filter(|(key, c)| {
                        c.articles as f64 >= floor && specific(key, c.articles, counts.articles)
                    })
                    .collect();
                let mut recurring: Vec<Recurring> = frequent
                    .iter()
                    .filter(|((is_line, key), c)| {
                        // A prefix nearly as frequent as a longer one adds nothing.
                        *is_line
                            || !frequent.iter().any(|((l2, k2), c2)| {
                                !*l2 && k2.len() > key.len()
                                    && k2.starts_with(key.as_str())
                                    && c2.articles * 10 >= c.articles * 9
                            })
                    })
                    .map(|((is_line, key), c)| Recurring {
                        kind: if *is_line { "line" } else { "prefix" },
                        key: key.clone(),
                        articles: c.articles,
                        share: c.articles as f64 / counts.articles.max(1) as f64,
                        first_share: c.first as f64 / c.articles.max(1) as f64,
                        last_share: c.last as f64 / c.articles.max(1) as f64,
                        example: c.example.clone(),
                    })
                    .collect();
                recurring.sort_by(|a, b| b.articles.cmp(&a.articles).then(a.key.cmp(&b.key)));
                OutletReport {
                    outlet: outlet.clone(),
                    articles: counts.articles,
                    recurring,
                    learned: counts.learned.clone(),
                }
            })
            .collect();
        out.sort_by(|a, b| a.outlet.cmp(&b.outlet));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::ingest::learned::Rules;

    #[test]
    fn recurring_lines_and_prefixes_are_found() {
        let config = Config::builtin();
        let outlets = OutletTable::new(&config.outlets);
        let rules = Rules::empty();
        let mut counter = BoilerplateCounter::new(ReportSettings {
            min_share: 0.5,
            min_articles: 2,
            max_prefix_words: 4,
            specificity: 5.0,
            sample_every: 0,
        });
        for (i, title) in ["الأول", "الثاني", "الثالث", "الرابع"].iter().enumerate()
        {
            let body = format!(
                "نص الخبر {title} رقم {i} عن موضوع مختلف تماما.\nحمّل تطبيقنا الآن\nرابط الخبر بصحيفة المثال: {title}"
            );
            let rec = Record::from_json(
                &serde_json::json!({"id": i.to_string(), "outlet": "مثال", "body": body})
                    .to_string(),
            )
            .unwrap();
            counter.add(&rec, &outlets, &rules);
        }
        let report = counter.report();
        assert_eq!(report.len(), 1);
        let r = &report[0];
        assert_eq!(r.articles, 4);
        let keys: Vec<(&str, &str, u64)> = r
            .recurring
            .iter()
            .map(|x| (x.kind, x.key.as_str(), x.articles))
            .collect();
        assert!(keys.contains(&("line", "حمل تطبيقنا الان", 4)), "{keys:?}");
        assert!(
            keys.contains(&("prefix", "رابط الخبر بصحيفه المثال", 4)),
            "{keys:?}"
        );
        // The shorter prefixes of the same line are subsumed.
        assert!(!keys.iter().any(|k| k.1 == "رابط الخبر"), "{keys:?}");
        let link = r
            .recurring
            .iter()
            .find(|x| x.key == "رابط الخبر بصحيفه المثال")
            .unwrap();
        assert_eq!(link.last_share, 1.0);
        assert_eq!(link.first_share, 0.0);
    }
}
