//! The transliteration fallback: the Arabic spellings a Latin word may have, by the rule
//! table of `index-schema/latin-names.json` → `transliteration` (Kidal → كيدال, Gossi →
//! غوسي, Tchad → تشاد), each with a cost (0 for the usual spelling, more for the rarer
//! choices it made). Which of them the index holds is looked up apart
//! ([`super::LatinNames::transliterate`]).

use unicode_normalization::UnicodeNormalization;

use crate::config::{ConfigError, RulePlace, TransliterationConfig};

/// One compiled rule.
#[derive(Clone, Debug)]
struct Rule {
    latin: Vec<char>,
    at: RulePlace,
    /// Normalised Arabic alternatives; the i-th costs i.
    arabic: Vec<String>,
}

/// The compiled rule table.
#[derive(Clone, Debug)]
pub struct Transliterator {
    /// Longest `latin` first.
    rules: Vec<Rule>,
    longest: usize,
    pub min_letters: usize,
    pub max_cost: u32,
    pub max_candidates: usize,
    pub max_forms: usize,
    pub article_cost: u32,
    pub cost_factor: f64,
    pub weight: f32,
}

/// A candidate spelling and its cost.
pub type Candidate = (String, u32);

impl Transliterator {
    /// Compiles and checks the rule table.
    pub fn new(config: &TransliterationConfig) -> Result<Transliterator, ConfigError> {
        let bad = |msg: String| {
            Err(ConfigError::Invalid(format!(
                "latin-names.json: transliteration: {msg}"
            )))
        };
        if config.max_forms == 0 || config.max_candidates == 0 || config.min_letters == 0 {
            return bad("min_letters, max_candidates and max_forms must be at least 1".into());
        }
        if !(config.weight > 0.0 && config.weight.is_finite()) {
            return bad(format!("weight must be above 0 (got {})", config.weight));
        }
        if !(config.cost_factor >= 1.0 && config.cost_factor.is_finite()) {
            return bad(format!(
                "cost_factor must be at least 1 (got {})",
                config.cost_factor
            ));
        }
        let mut rules = Vec::with_capacity(config.rules.len());
        for rule in &config.rules {
            let latin: Vec<char> = rule.latin.chars().collect();
            if latin.is_empty() || latin.iter().any(|&c| !is_rule_letter(c)) {
                return bad(format!(
                    "rule `{}`: `latin` must be lowercase letters a–z or é",
                    rule.latin
                ));
            }
            if rule.arabic.is_empty() {
                return bad(format!("rule `{}` has no Arabic spelling", rule.latin));
            }
            let mut arabic = Vec::with_capacity(rule.arabic.len());
            for spelling in &rule.arabic {
                let normal = crate::analysis::normalize::normalize(spelling);
                if normal
                    .chars()
                    .any(|c| !crate::analysis::normalize::is_arabic_letter(c))
                {
                    return bad(format!(
                        "rule `{}`: `{spelling}` is not Arabic letters",
                        rule.latin
                    ));
                }
                arabic.push(normal);
            }
            if rules
                .iter()
                .any(|r: &Rule| r.latin == latin && r.at == rule.at)
            {
                return bad(format!(
                    "rule `{}` ({:?}) is given twice",
                    rule.latin, rule.at
                ));
            }
            rules.push(Rule {
                latin,
                at: rule.at,
                arabic,
            });
        }
        rules.sort_by_key(|r| std::cmp::Reverse(r.latin.len()));
        let longest = rules.first().map_or(0, |r| r.latin.len());
        Ok(Transliterator {
            rules,
            longest,
            min_letters: config.min_letters,
            max_cost: config.max_cost,
            max_candidates: config.max_candidates,
            max_forms: config.max_forms,
            article_cost: config.article_cost,
            cost_factor: config.cost_factor,
            weight: config.weight,
        })
    }

    /// The word as the rules read it: lowercase, accents dropped except that é è ê ë are
    /// é, a letter written twice read once (Kiddal = Kidal). None when the word is not
    /// Latin letters only, is shorter than `min_letters`, or is an acronym in capitals
    /// (UMC, NATO: spelled letter by letter in Arabic, not transliterated).
    pub fn prepare(&self, word: &str) -> Option<Vec<char>> {
        if word.chars().count() < self.min_letters
            || word.chars().all(|c| c.is_uppercase())
            || word.chars().any(|c| !c.is_alphabetic())
        {
            return None;
        }
        let mut out: Vec<char> = Vec::with_capacity(word.len());
        for c in word.chars().flat_map(char::to_lowercase) {
            let c = if matches!(c, 'é' | 'è' | 'ê' | 'ë') {
                'é'
            } else {
                let mut base = c.nfkd().filter(char::is_ascii_alphabetic);
                match (base.next(), base.next()) {
                    (Some(b), None) => b,
                    _ => return None,
                }
            };
            if out.last() != Some(&c) {
                out.push(c);
            }
        }
        (out.len() >= self.min_letters).then_some(out)
    }

    /// For each stretch of the word, left to right, the alternatives of the longest rule
    /// that applies there. None when some letter has no rule.
    fn segments(&self, word: &[char]) -> Option<Vec<&[String]>> {
        let n = word.len();
        let mut i = 0;
        let mut out = Vec::new();
        while i < n {
            let mut found: Option<&Rule> = None;
            for len in (1..=self.longest.min(n - i)).rev() {
                let piece = &word[i..i + len];
                let fits = |at: RulePlace| match at {
                    RulePlace::Start => i == 0,
                    RulePlace::End => i + len == n,
                    RulePlace::Middle => i > 0 && i + len < n,
                    RulePlace::Any => true,
                };
                // A rule for this place wins over one for anywhere.
                found = self
                    .rules
                    .iter()
                    .filter(|r| r.latin == piece && fits(r.at))
                    .min_by_key(|r| r.at == RulePlace::Any);
                if found.is_some() {
                    break;
                }
            }
            let rule = found?;
            out.push(rule.arabic.as_slice());
            i += rule.latin.len();
        }
        Some(out)
    }

    /// The Arabic spellings of `word` up to `max_cost`, cheapest first (then in the order
    /// the rules list them), at most `max_candidates`, each once at its lowest cost; then
    /// each with the article ال at `article_cost` more (unless it has it). Empty when the
    /// word is not one the rules read (see [`Self::prepare`]).
    pub fn candidates(&self, word: &str) -> Vec<Candidate> {
        let Some(prepared) = self.prepare(word) else {
            return Vec::new();
        };
        let Some(segments) = self.segments(&prepared) else {
            return Vec::new();
        };
        let mut out: Vec<Candidate> = Vec::new();
        let mut seen = rustc_hash::FxHashSet::default();
        for cost in 0..=self.max_cost {
            let mut spelling = String::new();
            spell(&segments, cost, &mut spelling, &mut |s| {
                if out.len() < self.max_candidates && seen.insert(s.to_string()) {
                    out.push((s.to_string(), cost));
                }
                out.len() < self.max_candidates
            });
        }
        out.retain(|(s, _)| s.chars().count() >= 3);
        let with_article: Vec<Candidate> = out
            .iter()
            .filter(|(s, _)| !s.starts_with("ال"))
            .map(|(s, c)| (format!("ال{s}"), c + self.article_cost))
            .filter(|(s, _)| !seen.contains(s))
            .collect();
        out.extend(with_article);
        out
    }
}

/// Calls `found` with every spelling of `segments` of total cost exactly `cost` (in rule
/// order); stops when it returns false. Returns false once stopped.
fn spell(
    segments: &[&[String]],
    cost: u32,
    prefix: &mut String,
    found: &mut dyn FnMut(&str) -> bool,
) -> bool {
    let Some((first, rest)) = segments.split_first() else {
        return cost != 0 || found(prefix);
    };
    for (i, alternative) in first.iter().enumerate() {
        let Some(left) = cost.checked_sub(i as u32) else {
            break;
        };
        let len = prefix.len();
        prefix.push_str(alternative);
        let go_on = spell(rest, left, prefix, found);
        prefix.truncate(len);
        if !go_on {
            return false;
        }
    }
    true
}

fn is_rule_letter(c: char) -> bool {
    c.is_ascii_lowercase() || c == 'é'
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn rules() -> Transliterator {
        Transliterator::new(&Config::builtin().latin.transliteration).unwrap()
    }

    /// (rule, Latin word, its cheapest spelling): one case per rule of the table that
    /// decides a name of the coverage.
    const CHEAPEST: &[(&str, &str, &str)] = &[
        ("consonants and long vowels written", "Kidal", "كيدال"),
        ("final -o → و", "Bamako", "باماكو"),
        ("ou → و, initial ou → و", "Ouagadougou", "واغادوغو"),
        ("initial a → ا", "Agadez", "اغادز"),
        ("ch → ش", "Chami", "شامي"),
        ("tch → تش", "Tchad", "تشاد"),
        ("kh → خ, final e not written", "Barkhane", "بارخان"),
        ("dj → ج", "Djibo", "جيبو"),
        ("zh → ج", "Prigozhin", "بريغوجين"),
        ("final -ia → يا", "Mauritania", "موريتانيا"),
        ("doubled letters read once", "Kiddal", "كيدال"),
        ("é → ي", "Ségou", "سيغو"),
        ("eau → و", "Gourmeau", "غورمو"),
        ("p → ب, v → ف", "Pavlov", "بافلوف"),
        ("ph → ف", "Philippe", "فيليب"),
        ("qu → ك", "Quenum", "كنوم"),
    ];

    #[test]
    fn cheapest_spelling_of_each_rule() {
        let rules = rules();
        for (rule, latin, expected) in CHEAPEST {
            let candidates = rules.candidates(latin);
            assert_eq!(
                candidates.first().map(|(s, c)| (s.as_str(), *c)),
                Some((*expected, 0)),
                "{rule}: {latin}"
            );
        }
    }

    /// (rule, Latin word, a spelling the outlets use, its cost): the other choices.
    const OTHER_CHOICES: &[(&str, &str, &str, u32)] = &[
        ("g → ج", "Gossi", "جوسي", 1),
        ("medial a dropped", "Barkhane", "برخان", 1),
        ("short vowels dropped: medial o", "Tombouctou", "تمبوكتو", 1),
        ("medial e written ي", "Menaka", "ميناكا", 1),
        ("final -a → ة (ه)", "Moura", "موره", 1),
        ("initial i → اي", "Inates", "ايناتس", 1),
        ("ch → تش (English)", "Chad", "تشاد", 1),
        ("th → ت", "Thiam", "تيام", 1),
        ("k → ق", "Koufa", "قوفا", 1),
        ("the article, at article_cost", "Sahel", "الساحل", 2),
        ("t → ط, s → ص", "Tessalit", "طصاليت", 3),
    ];

    #[test]
    fn other_choices_cost_more() {
        let rules = rules();
        for (rule, latin, expected, cost) in OTHER_CHOICES {
            let candidates = rules.candidates(latin);
            let found = candidates.iter().find(|(s, _)| s == expected);
            assert_eq!(found.map(|(_, c)| *c), Some(*cost), "{rule}: {latin}");
        }
    }

    /// (rule, input): words the rules do not read.
    const NOT_READ: &[(&str, &str)] = &[
        ("shorter than min_letters", "Gao"),
        ("an acronym in capitals", "NATO"),
        ("a digit", "G5Sahel"),
        ("Arabic letters", "كيدال"),
        (
            "a hyphen: a compound is read word by word",
            "Bobo-Dioulasso",
        ),
    ];

    #[test]
    fn words_the_rules_do_not_read() {
        let rules = rules();
        for (rule, word) in NOT_READ {
            assert_eq!(rules.prepare(word), None, "{rule}");
            assert!(rules.candidates(word).is_empty(), "{rule}");
        }
    }

    #[test]
    fn candidates_are_cheapest_first_unique_and_bounded() {
        let rules = rules();
        let candidates = rules.candidates("Tinzaouatene");
        assert!(candidates.len() <= rules.max_candidates * 2);
        let costs: Vec<u32> = candidates
            .iter()
            .filter(|(s, _)| !s.starts_with("ال"))
            .map(|(_, c)| *c)
            .collect();
        assert!(costs.windows(2).all(|w| w[0] <= w[1]), "{costs:?}");
        let mut spellings: Vec<&str> = candidates.iter().map(|(s, _)| s.as_str()).collect();
        let n = spellings.len();
        spellings.sort();
        spellings.dedup();
        assert_eq!(spellings.len(), n);
        assert!(candidates
            .iter()
            .all(|(_, c)| *c <= rules.max_cost + rules.article_cost));
        // One of the outlets' spellings is among them.
        assert!(spellings.contains(&"تينزاواتين"), "{spellings:?}");
    }

    #[test]
    fn a_bad_rule_is_reported() {
        let mut config = Config::builtin().latin.transliteration;
        config.rules[0].arabic = vec!["x".into()];
        let err = Transliterator::new(&config).unwrap_err().to_string();
        assert!(err.contains("not Arabic letters"), "{err}");
        let mut config = Config::builtin().latin.transliteration;
        config.rules[0].latin = "K".into();
        let err = Transliterator::new(&config).unwrap_err().to_string();
        assert!(err.contains("lowercase"), "{err}");
    }
}
