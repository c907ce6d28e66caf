//! Senses: one mechanism that decides, per mention and in context, what a word or name
//! means — مالي is Mali or "financial", الساحل the Sahel or "a coast", a bare فاغنر the
//! Wagner group or a footballer or the composer.
//!
//! A rule (data, `index-schema/entities.json`: `senses` for words the analyzer indexes
//! by sense, a group's `ambiguous` for names the gazetteer tags with) lists the forms it
//! decides and their senses; each sense has cues:
//! - `before` / `after`: the word right before or after the mention (الجيش المالي, مبلغ
//!   مالي, ساندرو فاغنر, فاغنر لوف, الساحل الغربي);
//! - `context`: words anywhere in the passage, then in the article (باماكو، كيدال for
//!   Mali; مهاجم، الدوري for a footballer), given inline or as `@name` of a shared
//!   `cue_sets` entry.
//!
//! A mention is decided by the first that applies: the word before, the word after, the
//! passage's context (the sense with the most cue words, strictly), the article's context
//! (the same), else the rule's `undecided` sense (`undecided_with_article` for a form
//! written with the article ال; in a query, `query`). Cue words are compared without
//! proclitics and article (`bare`): والجيش, للجيش and الجيش are all the cue جيش.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// One rule as written in `entities.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SenseRuleConfig {
    /// A name for the rule (reports and errors).
    pub id: String,
    /// The words the rule decides (an analyzer rule: one word each, as the exact
    /// analyzer writes it) or the group names it decides (a group's `ambiguous` rule).
    pub forms: Vec<String>,
    pub senses: Vec<SenseConfig>,
    /// The sense of a mention no cue decides.
    pub undecided: String,
    /// The same for a form written with the article ال, when it differs (المالي is
    /// mostly "financial", مالي without the article mostly Mali).
    #[serde(default)]
    pub undecided_with_article: Option<String>,
    /// The sense a query word without cues is searched in (default: `undecided`).
    #[serde(default)]
    pub query: Option<String>,
    /// In a group's rule: the sense in which a mention counts for the group.
    #[serde(default)]
    pub group_sense: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// One sense of a rule.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SenseConfig {
    pub id: String,
    /// The term indexed for a mention in this sense (analyzer rules); none keeps the
    /// word's own term.
    #[serde(default)]
    pub term: Option<String>,
    #[serde(default)]
    pub before: Vec<String>,
    #[serde(default)]
    pub after: Vec<String>,
    /// Cue words in the passage or article: words, or `@name` of a cue set.
    #[serde(default)]
    pub context: Vec<String>,
    #[serde(default)]
    pub note: String,
}

/// The mark every sense term holds (`مالي#financial`, `غاو#person`): such a term is
/// indexed as it is, never stemmed ([`super::stem_filter`]), and no word of a text can
/// hold it (the tokenizer splits at `#`).
pub const SENSE_MARK: char = '#';

/// At most this many senses in one compiled rule set (one bit each).
const MAX_SENSES: usize = 64;

/// A sense, compiled.
#[derive(Clone, Debug)]
pub struct Sense {
    pub id: String,
    pub term: Option<String>,
    /// This sense's bit in the rule set.
    bit: u32,
}

/// A rule, compiled.
#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    /// The forms, as token sequences of the analyzer the rules were compiled with.
    pub forms: Vec<Vec<String>>,
    pub senses: Vec<Sense>,
    undecided: usize,
    undecided_with_article: usize,
    query: usize,
    /// The sense that counts for a group.
    pub group_sense: Option<usize>,
}

/// What decided a mention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "by", content = "word")]
pub enum Cue {
    /// The word right before (bare).
    Before(String),
    /// The word right after (bare).
    After(String),
    /// The first cue word of the winning sense in the passage.
    Passage(String),
    /// The first cue word of the winning sense elsewhere in the article.
    Article(String),
    /// No cue: the rule's default.
    Undecided,
    /// No cue, in a query: the rule's query sense.
    Query,
}

impl std::fmt::Display for Cue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cue::Before(w) => write!(f, "word before: {w}"),
            Cue::After(w) => write!(f, "word after: {w}"),
            Cue::Passage(w) => write!(f, "passage context: {w}"),
            Cue::Article(w) => write!(f, "article context: {w}"),
            Cue::Undecided => write!(f, "no cue (default)"),
            Cue::Query => write!(f, "no cue (query default)"),
        }
    }
}

/// A decision: the sense (index into the rule's senses) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub sense: usize,
    pub cue: Cue,
}

/// Cue words found in a text: per sense bit, how many, and the first one.
#[derive(Clone, Debug, Default)]
pub struct Hits {
    counts: Vec<u32>,
    first: Vec<Option<String>>,
}

impl Hits {
    fn add(&mut self, bit: u32, word: &str) {
        let b = bit as usize;
        if self.counts.len() <= b {
            self.counts.resize(b + 1, 0);
            self.first.resize(b + 1, None);
        }
        self.counts[b] += 1;
        if self.first[b].is_none() {
            self.first[b] = Some(word.to_string());
        }
    }

    fn count(&self, bit: u32) -> u32 {
        self.counts.get(bit as usize).copied().unwrap_or(0)
    }

    /// Adds another text's hits (an article's passages).
    pub fn merge(&mut self, other: &Hits) {
        for (b, &n) in other.counts.iter().enumerate() {
            if n == 0 {
                continue;
            }
            if self.counts.len() <= b {
                self.counts.resize(b + 1, 0);
                self.first.resize(b + 1, None);
            }
            self.counts[b] += n;
            if self.first[b].is_none() {
                self.first[b].clone_from(&other.first[b]);
            }
        }
    }
}

/// Where a mention stands: its neighbours and its passage's and article's cues.
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    /// The word before and after, bare (see [`bare`]).
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    /// The form was written with the article ال.
    pub with_article: bool,
    pub passage: Option<&'a Hits>,
    pub article: Option<&'a Hits>,
    /// A query: no cue means the rule's query sense.
    pub query: bool,
}

/// Rules compiled together: their senses share one bit space and one cue table.
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// Bare word → (sense bit) for `before`, `after` and `context` cues.
    before: FxHashMap<String, Vec<u32>>,
    after: FxHashMap<String, Vec<u32>>,
    context: FxHashMap<String, Vec<u32>>,
}

impl RuleSet {
    /// Compiles `rules`; `analyse` turns a word or name into its terms (the exact
    /// analyzer), `cue_sets` resolves `@name`.
    pub fn new(
        rules: &[SenseRuleConfig],
        cue_sets: &BTreeMap<String, Vec<String>>,
        analyse: &mut dyn FnMut(&str) -> Vec<String>,
    ) -> anyhow::Result<RuleSet> {
        let mut set = RuleSet::default();
        let mut bits = 0u32;
        for config in rules {
            let bad = |msg: String| anyhow::anyhow!("sense rule `{}`: {msg}", config.id);
            if config.senses.len() < 2 {
                return Err(bad("needs at least two senses".into()));
            }
            let find = |id: &str| -> anyhow::Result<usize> {
                config
                    .senses
                    .iter()
                    .position(|s| s.id == id)
                    .ok_or_else(|| bad(format!("no sense `{id}`")))
            };
            let undecided = find(&config.undecided)?;
            let with_article = match &config.undecided_with_article {
                Some(id) => find(id)?,
                None => undecided,
            };
            let query = match &config.query {
                Some(id) => find(id)?,
                None => undecided,
            };
            let group_sense = config.group_sense.as_deref().map(find).transpose()?;
            let mut forms = Vec::new();
            for form in &config.forms {
                let terms = analyse(form);
                if terms.is_empty() {
                    return Err(bad(format!("form `{form}` has no searchable characters")));
                }
                forms.push(terms);
            }
            let mut senses = Vec::new();
            for sense in &config.senses {
                if bits as usize >= MAX_SENSES {
                    return Err(bad(format!("more than {MAX_SENSES} senses in all")));
                }
                if let Some(term) = sense.term.as_deref() {
                    if !term.contains(SENSE_MARK) {
                        return Err(bad(format!(
                            "sense `{}`: term `{term}` must hold `{SENSE_MARK}` (a sense term is \
                             indexed as it is, never stemmed)",
                            sense.id
                        )));
                    }
                }
                let bit = bits;
                bits += 1;
                let mut add = |map: &mut FxHashMap<String, Vec<u32>>, word: &str| {
                    for term in analyse(word) {
                        let entry = map.entry(bare(&term).to_string()).or_default();
                        if !entry.contains(&bit) {
                            entry.push(bit);
                        }
                    }
                };
                for w in &sense.before {
                    add(&mut set.before, w);
                }
                for w in &sense.after {
                    add(&mut set.after, w);
                }
                for item in &sense.context {
                    match item.strip_prefix('@') {
                        Some(name) => {
                            let words = cue_sets
                                .get(name)
                                .ok_or_else(|| bad(format!("no cue set `{name}`")))?;
                            for w in words {
                                add(&mut set.context, w);
                            }
                        }
                        None => add(&mut set.context, item),
                    }
                }
                senses.push(Sense {
                    id: sense.id.clone(),
                    term: sense.term.clone(),
                    bit,
                });
            }
            set.rules.push(Rule {
                id: config.id.clone(),
                forms,
                senses,
                undecided,
                undecided_with_article: with_article,
                query,
                group_sense,
            });
        }
        Ok(set)
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The context cue words among `terms` (any order, any form: they are made bare).
    pub fn hits<'a>(&self, terms: impl IntoIterator<Item = &'a str>) -> Hits {
        let mut hits = Hits::default();
        if self.context.is_empty() {
            return hits;
        }
        for term in terms {
            let word = bare(term);
            if let Some(bits) = self.context.get(word) {
                for &bit in bits {
                    hits.add(bit, term);
                }
            }
        }
        hits
    }

    /// Decides one mention of rule `rule`.
    pub fn decide(&self, rule: usize, ctx: &Context) -> Decision {
        let r = &self.rules[rule];
        let local = |map: &FxHashMap<String, Vec<u32>>, word: Option<&str>| {
            let bits = map.get(word?)?;
            r.senses.iter().position(|s| bits.contains(&s.bit))
        };
        if let Some(sense) = local(&self.before, ctx.before) {
            let word = ctx.before.unwrap_or_default().to_string();
            return Decision {
                sense,
                cue: Cue::Before(word),
            };
        }
        if let Some(sense) = local(&self.after, ctx.after) {
            let word = ctx.after.unwrap_or_default().to_string();
            return Decision {
                sense,
                cue: Cue::After(word),
            };
        }
        for (hits, article) in [(ctx.passage, false), (ctx.article, true)] {
            let Some(hits) = hits else { continue };
            if let Some((sense, word)) = best(r, hits) {
                let cue = if article {
                    Cue::Article(word)
                } else {
                    Cue::Passage(word)
                };
                return Decision { sense, cue };
            }
        }
        if ctx.query {
            return Decision {
                sense: r.query,
                cue: Cue::Query,
            };
        }
        let sense = if ctx.with_article {
            r.undecided_with_article
        } else {
            r.undecided
        };
        Decision {
            sense,
            cue: Cue::Undecided,
        }
    }
}

/// For `--explain`: which sense each of a query word's terms was searched in, given the
/// analyzer rules as written (`مالي#financial` → the rule's `financial` sense; `مالي`, a
/// form whose query sense keeps the word's term → that sense), with the other senses'
/// terms.
pub fn explain_terms(rules: &[SenseRuleConfig], terms: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for t in terms {
        for rule in rules {
            let query = rule.query.as_deref().unwrap_or(&rule.undecided);
            let by_term = rule.senses.iter().find(|s| s.term.as_deref() == Some(t));
            let by_form = rule
                .forms
                .iter()
                .any(|f| super::normalize::normalize(f) == *t)
                .then(|| {
                    rule.senses
                        .iter()
                        .find(|s| s.id == query && s.term.is_none())
                })
                .flatten();
            if let Some(sense) = by_term.or(by_form) {
                let others: Vec<String> = rule
                    .senses
                    .iter()
                    .filter(|o| o.id != sense.id)
                    .map(|o| {
                        format!(
                            "{} = {}",
                            o.id,
                            o.term.as_deref().unwrap_or("the word's own term")
                        )
                    })
                    .collect();
                out.push(format!(
                    "{t}: `{}` in sense {} (other senses: {})",
                    rule.id,
                    sense.id,
                    others.join(", ")
                ));
            }
        }
    }
    out
}

/// The sense with strictly the most context cue words, and its first cue word.
fn best(rule: &Rule, hits: &Hits) -> Option<(usize, String)> {
    let mut top: Option<(usize, u32)> = None;
    let mut tie = false;
    for (i, s) in rule.senses.iter().enumerate() {
        let n = hits.count(s.bit);
        match top {
            _ if n == 0 => {}
            Some((_, m)) if n == m => tie = true,
            Some((_, m)) if n < m => {}
            _ => {
                top = Some((i, n));
                tie = false;
            }
        }
    }
    let (sense, _) = top.filter(|_| !tie)?;
    let word = hits.first[rule.senses[sense].bit as usize].clone()?;
    Some((sense, word))
}

/// A normalised word without its proclitics and article, for comparing cue words:
/// والجيش، للجيش، بالجيش، الجيش → جيش. A proclitic goes only if enough letters remain.
pub fn bare(term: &str) -> &str {
    let chars = |s: &str| s.chars().count();
    let mut w = term;
    for p in ["و", "ف"] {
        if let Some(rest) = w.strip_prefix(p) {
            if chars(rest) >= 3 {
                w = rest;
                break;
            }
        }
    }
    for p in ["بال", "كال", "وال", "فال", "لل", "ال"] {
        if let Some(rest) = w.strip_prefix(p) {
            if chars(rest) >= 2 {
                return rest;
            }
        }
    }
    for p in ["ب", "ل", "ك"] {
        if let Some(rest) = w.strip_prefix(p) {
            if chars(rest) >= 3 {
                return rest;
            }
        }
    }
    w
}

/// Whether a surface word is written with the article ال (after و ف ب ك ل): المالي,
/// والمالي, للمالي.
pub fn has_article(surface: &str) -> bool {
    let mut s = surface.trim_start_matches(['"', '«', '“', '(', '\'']);
    if let Some(rest) = s.strip_prefix(['و', 'ف']) {
        s = rest;
    }
    let s = s.trim_start_matches('\u{0640}');
    s.starts_with("ال")
        || s.starts_with("لل")
        || ["بال", "كال"].iter().any(|p| s.starts_with(p))
        || s.strip_prefix(['ب', 'ك', 'ل'])
            .is_some_and(|r| r.trim_start_matches('\u{0640}').starts_with("ال"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sense(id: &str, before: &[&str], after: &[&str], context: &[&str]) -> SenseConfig {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        SenseConfig {
            id: id.into(),
            term: None,
            before: v(before),
            after: v(after),
            context: v(context),
            note: String::new(),
        }
    }

    fn rules() -> RuleSet {
        let config = SenseRuleConfig {
            id: "mali".into(),
            forms: vec!["مالي".into()],
            senses: vec![
                sense("place", &["الجيش", "في"], &["والنيجر"], &["@mali"]),
                sense("financial", &["الوضع", "مبلغ"], &["قدره"], &["ريال"]),
            ],
            undecided: "place".into(),
            undecided_with_article: Some("financial".into()),
            query: None,
            group_sense: None,
            note: String::new(),
        };
        let cue_sets: BTreeMap<String, Vec<String>> = [(
            "mali".to_string(),
            vec!["باماكو".to_string(), "كيدال".to_string()],
        )]
        .into();
        let mut analyse = |s: &str| s.split_whitespace().map(String::from).collect();
        RuleSet::new(&[config], &cue_sets, &mut analyse).expect("compiles")
    }

    fn decide(set: &RuleSet, ctx: Context) -> (String, Cue) {
        let d = set.decide(0, &ctx);
        (set.rules[0].senses[d.sense].id.clone(), d.cue)
    }

    #[test]
    fn bare_drops_proclitics_and_article() {
        for (w, b) in [
            ("والجيش", "جيش"),
            ("للجيش", "جيش"),
            ("بالجيش", "جيش"),
            ("الجيش", "جيش"),
            ("جيش", "جيش"),
            ("وفي", "وفي"),
            ("في", "في"),
            ("لوف", "لوف"),
            ("wagner", "wagner"),
        ] {
            assert_eq!(bare(w), b, "{w}");
        }
    }

    #[test]
    fn article_on_the_surface() {
        assert!(has_article("المالي"));
        assert!(has_article("والمالي"));
        assert!(has_article("للمالي"));
        assert!(has_article("بالمالي"));
        assert!(!has_article("مالي"));
        assert!(!has_article("ومالي"));
        assert!(!has_article("لمالي"));
    }

    #[test]
    fn neighbours_then_passage_then_article_then_default() {
        let set = rules();
        let place = |cue| ("place".to_string(), cue);
        let financial = |cue| ("financial".to_string(), cue);
        let ctx = Context::default;
        assert_eq!(
            decide(
                &set,
                Context {
                    before: Some("جيش"),
                    ..ctx()
                }
            ),
            place(Cue::Before("جيش".into()))
        );
        assert_eq!(
            decide(
                &set,
                Context {
                    before: Some("وضع"),
                    ..ctx()
                }
            ),
            financial(Cue::Before("وضع".into()))
        );
        assert_eq!(
            decide(
                &set,
                Context {
                    after: Some("قدره"),
                    ..ctx()
                }
            ),
            financial(Cue::After("قدره".into()))
        );
        let mali = set.hits(["قال", "في", "باماكو"]);
        let money = set.hits(["بلغ", "ريال", "وريال"]);
        assert_eq!(
            decide(
                &set,
                Context {
                    passage: Some(&mali),
                    with_article: true,
                    ..ctx()
                }
            ),
            place(Cue::Passage("باماكو".into()))
        );
        // The passage before the article; the article when the passage says nothing.
        let nothing = set.hits(["قال"]);
        assert_eq!(
            decide(
                &set,
                Context {
                    passage: Some(&nothing),
                    article: Some(&money),
                    ..ctx()
                }
            ),
            financial(Cue::Article("ريال".into()))
        );
        // A tie decides nothing.
        let mut both = set.hits(["باماكو"]);
        both.merge(&set.hits(["ريال"]));
        assert_eq!(
            decide(
                &set,
                Context {
                    passage: Some(&both),
                    ..ctx()
                }
            ),
            place(Cue::Undecided)
        );
        assert_eq!(
            decide(
                &set,
                Context {
                    with_article: true,
                    ..ctx()
                }
            ),
            financial(Cue::Undecided)
        );
        assert_eq!(
            decide(
                &set,
                Context {
                    with_article: true,
                    query: true,
                    ..ctx()
                }
            ),
            place(Cue::Query)
        );
    }

    #[test]
    fn bad_rules_are_errors() {
        let mut analyse = |s: &str| vec![s.to_string()];
        let mut config = SenseRuleConfig {
            id: "x".into(),
            forms: vec!["x".into()],
            senses: vec![sense("a", &[], &[], &["@nope"]), sense("b", &[], &[], &[])],
            undecided: "a".into(),
            undecided_with_article: None,
            query: None,
            group_sense: None,
            note: String::new(),
        };
        let err = RuleSet::new(&[config.clone()], &BTreeMap::new(), &mut analyse);
        assert!(format!("{:#}", err.unwrap_err()).contains("no cue set `nope`"));
        config.senses[0].context.clear();
        config.undecided = "c".into();
        let err = RuleSet::new(&[config.clone()], &BTreeMap::new(), &mut analyse);
        assert!(format!("{:#}", err.unwrap_err()).contains("no sense `c`"));
        // A sense term without the sense mark could be stemmed into another word's term.
        config.undecided = "a".into();
        config.senses[1].term = Some("x-person".into());
        let err = RuleSet::new(&[config], &BTreeMap::new(), &mut analyse);
        assert!(format!("{:#}", err.unwrap_err()).contains("term `x-person` must hold `#`"));
    }
}
