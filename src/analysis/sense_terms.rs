//! `SenseTokenizer`: the words of `entities.json`'s `senses` rules (مالي, الساحل) are
//! indexed by sense — each mention, decided in context by [`super::senses`], gets its
//! sense's term (`مالي` for Mali, `مالي#financial` for the adjective; `ساحل#sahel` for
//! the region, the word's own term for a coast).
//!
//! It wraps the front of the chain (tokenizer + names), before the per-thread cache of
//! [`super::shared`], so both fields of a passage get the same decisions from one pass:
//! the front's tokens are collected, the mentions decided (the word before and after,
//! then the passage's cue words), and the tokens replayed. In a query analyzer a mention
//! without cues takes the rule's `query` sense, so a bare `مالي` asks for Mali.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::senses::{bare, has_article, Context, Hits, RuleSet};
use super::shared::{take_token, ReplayStream};
use super::wordfilter::WordFilter;

/// The analyzer rules, compiled for lookup by term.
#[derive(Debug)]
pub struct SensePass {
    set: RuleSet,
    /// Front term of a form → its rule.
    by_term: FxHashMap<String, usize>,
    filter: WordFilter,
    /// Decide as for a query (no cue → the rule's query sense).
    query: bool,
}

impl SensePass {
    /// Wraps compiled rules; every form must be one term.
    pub fn new(set: RuleSet, query: bool) -> anyhow::Result<SensePass> {
        let mut by_term = FxHashMap::default();
        for (i, rule) in set.rules.iter().enumerate() {
            for form in &rule.forms {
                match form.as_slice() {
                    [term] => {
                        by_term.insert(term.clone(), i);
                    }
                    _ => anyhow::bail!(
                        "sense rule `{}`: form `{}` must be one word",
                        rule.id,
                        form.join(" ")
                    ),
                }
            }
        }
        let filter = WordFilter::new(by_term.keys().map(String::as_str));
        Ok(SensePass {
            set,
            by_term,
            filter,
            query,
        })
    }

    /// The same rules, deciding as for a query.
    pub fn for_queries(&self) -> SensePass {
        SensePass {
            set: self.set.clone(),
            by_term: self.by_term.clone(),
            filter: WordFilter::new(self.by_term.keys().map(String::as_str)),
            query: true,
        }
    }

    pub fn rules(&self) -> &RuleSet {
        &self.set
    }

    /// (rule id, sense id) of a term a sense gave, or of a form searched in its
    /// default sense: for `--explain`.
    pub fn sense_of_term(&self, term: &str) -> Option<(&str, &str)> {
        for rule in &self.set.rules {
            if let Some(s) = rule.senses.iter().find(|s| s.term.as_deref() == Some(term)) {
                return Some((&rule.id, &s.id));
            }
        }
        None
    }

    /// Gives each mention in `tokens` (the front's tokens of `text`) its sense's term.
    pub fn apply(&self, text: &str, tokens: &mut [Token]) {
        let mut hits: Option<Hits> = None;
        let mut changes: Vec<(usize, &str)> = Vec::new();
        for i in 0..tokens.len() {
            let term = tokens[i].text.as_str();
            if !self.filter.may_contain(term) {
                continue;
            }
            let Some(&rule) = self.by_term.get(term) else {
                continue;
            };
            let passage =
                hits.get_or_insert_with(|| self.set.hits(tokens.iter().map(|t| t.text.as_str())));
            let t = &tokens[i];
            let surface = text.get(t.offset_from..t.offset_to).unwrap_or_default();
            let ctx = Context {
                before: i.checked_sub(1).map(|j| bare(&tokens[j].text)),
                after: tokens.get(i + 1).map(|n| bare(&n.text)),
                with_article: has_article(surface),
                passage: Some(passage),
                article: None,
                query: self.query,
            };
            let decision = self.set.decide(rule, &ctx);
            if let Some(term) = &self.set.rules[rule].senses[decision.sense].term {
                changes.push((i, term));
            }
        }
        for (i, term) in changes {
            tokens[i].text.clear();
            tokens[i].text.push_str(term);
        }
    }
}

/// Wraps a front tokenizer with the sense pass (`None`: no rules, tokens pass through
/// the same buffer).
#[derive(Clone)]
pub struct SenseTokenizer<T> {
    inner: T,
    pass: Option<Arc<SensePass>>,
    buffer: Vec<Token>,
}

impl<T> SenseTokenizer<T> {
    pub fn new(inner: T, pass: Option<Arc<SensePass>>) -> Self {
        SenseTokenizer {
            inner,
            pass,
            buffer: Vec::new(),
        }
    }
}

/// Replays the decided tokens.
impl<T: Tokenizer> Tokenizer for SenseTokenizer<T> {
    type TokenStream<'a> = ReplayStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ReplayStream<'a> {
        let mut len = 0;
        let mut stream = self.inner.token_stream(text);
        while stream.advance() {
            if len == self.buffer.len() {
                self.buffer.push(Token::default());
            }
            take_token(&mut self.buffer[len], stream.token_mut());
            len += 1;
        }
        if let Some(pass) = &self.pass {
            pass.apply(text, &mut self.buffer[..len]);
        }
        ReplayStream::new(&mut self.buffer[..len])
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{analyze, Analysis};
    use crate::config::Config;

    fn terms(analysis: &Analysis, name: &str, text: &str, query: bool) -> Vec<String> {
        let mut a = if query {
            analysis.query_analyzer(name)
        } else {
            analysis.analyzer(name)
        }
        .expect("analyzer exists");
        analyze(&mut a, text).into_iter().map(|t| t.term).collect()
    }

    /// The term the sense word of `text` gets in the exact field at index time.
    fn sense_term(text: &str) -> String {
        let analysis = Analysis::new(&Config::builtin()).expect("config");
        terms(&analysis, "arabic_exact", text, false)
            .into_iter()
            .find(|t| t.starts_with("مالي") || t.contains("ساحل"))
            .unwrap_or_default()
    }

    #[test]
    fn mali_by_the_word_before_or_after() {
        for text in [
            "قال الجيش المالي",
            "هاجموا شمال مالي",
            "الرئيس المالي",
            "في مالي",
            "مالي والنيجر",
        ] {
            assert_eq!(sense_term(text), "مالي", "{text}");
        }
        for text in [
            "الوضع المالي",
            "الفساد المالي",
            "القطاع المالي",
            "دعم مالي",
            "مبلغ مالي قدره",
        ] {
            assert_eq!(sense_term(text), "مالي#financial", "{text}");
        }
    }

    #[test]
    fn mali_by_the_passage() {
        assert_eq!(sense_term("وصل المالي إلى باماكو"), "مالي");
        assert_eq!(
            sense_term("ارتفع المالي بنسبة عشرة بالمئة من الأسهم"),
            "مالي#financial"
        );
    }

    #[test]
    fn sahel_and_coast() {
        assert_eq!(sense_term("دول الساحل"), "ساحل#sahel");
        assert_eq!(sense_term("منطقة الساحل والصحراء"), "ساحل#sahel");
        assert_eq!(sense_term("الساحل الأفريقي"), "ساحل#sahel");
        assert_eq!(sense_term("جبهة الساحل الغربي"), "الساحل");
        assert_eq!(sense_term("طريق الساحل"), "الساحل");
    }

    #[test]
    fn gao_and_kidal_the_places_or_a_person() {
        let analysis = Analysis::new(&Config::builtin()).expect("config");
        let term_of = |text: &str, form: &str| -> Vec<String> {
            let all = terms(&analysis, "arabic", text, false);
            all.into_iter().filter(|t| t.contains(form)).collect()
        };
        assert_eq!(term_of("انفجار في مدينة غاو", "غاو"), ["غاو"]);
        assert_eq!(
            term_of("قال المتحدث باسم وزارة التجارة الصينية، غاو فنغ", "غاو"),
            ["غاو#person"]
        );
        assert_eq!(term_of("خطف الصحفيان في كيدال", "كيدال"), ["كيدال"]);
        // The sense term is not stemmed: ك is not stripped as a proclitic from it.
        assert_eq!(
            term_of("أكد اللاعب السويدي ألبان كيدال", "يدال"),
            ["كيدال#person"]
        );
    }

    #[test]
    fn queries_ask_for_the_place() {
        let analysis = Analysis::new(&Config::builtin()).expect("config");
        assert_eq!(terms(&analysis, "arabic", "المالي", true), vec!["مالي"]);
        assert_eq!(
            terms(&analysis, "arabic", "الساحل", true),
            vec!["ساحل#sahel"]
        );
        assert_eq!(
            terms(&analysis, "arabic", "الوضع المالي", true),
            vec!["وضع", "مالي#financial"]
        );
        // At index time a bare المالي with no cue is the adjective.
        assert_eq!(
            terms(&analysis, "arabic", "المالي", false),
            vec!["مالي#financial"]
        );
    }
}
