//! Per-mention decisions for ambiguous group names (a group's `ambiguous` rules in
//! `entities.json`), with the same mechanism as the analyzer's senses
//! ([`crate::analysis::senses`]): a bare فاغنر is the Wagner group, a footballer or the
//! composer, decided by the word before (ساندرو، ريتشارد), the word after (لوف), the
//! passage's cue words (مهاجم، الدوري / أوبرا / مرتزقة، روسي), then the article's.
//!
//! A mention decided in another sense than the rule's `group_sense` is set aside: it
//! does not tag, expand or count, and the passage's `groups_detail` says which mentions
//! were set aside and why ([`SetAside`]).

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use tantivy::tokenizer::TextAnalyzer;

use super::{Gazetteer, Mention};
use crate::analysis::analyze;
use crate::analysis::senses::{Context, Hits, RuleSet, SenseRuleConfig};
use crate::config::EntitiesConfig;

/// A mention that was not counted for its group, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetAside {
    /// The name as written.
    pub spelling: String,
    /// The sense it was decided in (`person`, `generic` …).
    pub sense: String,
    /// The rule that decided it.
    pub rule: String,
    /// What decided it (`word before: ساندرو`, `passage context: الدوري` …).
    pub reason: String,
    /// In the article's title (else in the passage).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_title: bool,
}

/// The groups' ambiguity rules, compiled.
#[derive(Clone, Debug, Default)]
pub(crate) struct NameRules {
    set: RuleSet,
    /// Name (token sequence index) → rule.
    by_name: FxHashMap<usize, usize>,
    /// The group whose entry defines each rule (its set-aside mentions are reported
    /// under it).
    group_of: FxHashMap<String, String>,
}

impl NameRules {
    /// Compiles every group's `ambiguous` rules; `names` maps the gazetteer's token
    /// sequences to their name index. Each rule must say which sense counts.
    pub(crate) fn new(
        entities: &EntitiesConfig,
        names: &BTreeMap<Vec<String>, usize>,
        analyzer: &mut TextAnalyzer,
    ) -> anyhow::Result<NameRules> {
        let rules: Vec<SenseRuleConfig> = entities
            .groups
            .iter()
            .flat_map(|g| g.ambiguous.iter().cloned())
            .collect();
        let group_of = entities
            .groups
            .iter()
            .flat_map(|g| g.ambiguous.iter().map(|r| (r.id.clone(), g.id.clone())))
            .collect();
        let mut analyse =
            |s: &str| -> Vec<String> { analyze(analyzer, s).into_iter().map(|t| t.term).collect() };
        let set = RuleSet::new(&rules, &entities.cue_sets, &mut analyse)?;
        let mut by_name = FxHashMap::default();
        for (i, rule) in set.rules.iter().enumerate() {
            if rule.group_sense.is_none() {
                anyhow::bail!(
                    "sense rule `{}`: a group's rule needs a `group_sense`",
                    rule.id
                );
            }
            for form in &rule.forms {
                let Some(&name) = names.get(form) else {
                    anyhow::bail!(
                        "sense rule `{}`: `{}` is not a name of any group",
                        rule.id,
                        form.join(" ")
                    );
                };
                by_name.insert(name, i);
            }
        }
        Ok(NameRules {
            set,
            by_name,
            group_of,
        })
    }

    /// The rule deciding mentions of name `name`.
    pub(crate) fn rule_of(&self, name: usize) -> Option<usize> {
        self.by_name.get(&name).copied()
    }

    fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

/// Moves the set-aside mentions whose rule belongs to `group` out of `aside`.
pub(crate) fn take_group(
    aside: &mut Vec<SetAside>,
    group: &str,
    rules: &NameRules,
) -> Vec<SetAside> {
    let (mine, rest): (Vec<SetAside>, Vec<SetAside>) = std::mem::take(aside)
        .into_iter()
        .partition(|a| rules.group_of.get(&a.rule).is_some_and(|g| g == group));
    *aside = rest;
    mine
}

impl Gazetteer {
    /// Untagged entries reporting set-aside mentions, one per group.
    pub(crate) fn set_aside_only(&self, mut aside: Vec<SetAside>) -> Vec<super::GroupTag> {
        let mut out = Vec::new();
        for g in &self.groups {
            let mine = take_group(&mut aside, &g.id, &self.name_rules);
            if !mine.is_empty() {
                out.push(super::GroupTag {
                    group: g.id.clone(),
                    set_aside: mine,
                    tagged: false,
                    ..super::GroupTag::default()
                });
            }
        }
        out
    }

    /// Decides the ambiguous mentions of an article (title and passages), removes those
    /// set aside, and returns them per passage (the title's are reported on the first
    /// passage). The article's cue words are only gathered when a mention needs them.
    pub(crate) fn settle(
        &self,
        analyzer: &mut TextAnalyzer,
        title: Option<&str>,
        passages: &[&str],
        title_mentions: &mut Vec<Mention>,
        bodies: &mut [Vec<Mention>],
    ) -> Vec<Vec<SetAside>> {
        let mut out = vec![Vec::new(); bodies.len()];
        let needs = |ms: &[Mention]| ms.iter().any(|m| self.name_rules.rule_of(m.name).is_some());
        if self.name_rules.is_empty()
            || (!needs(title_mentions) && !bodies.iter().any(|b| needs(b)))
        {
            return out;
        }
        let mut hits_of = |text: &str| -> Hits {
            let terms: Vec<String> = analyze(analyzer, text)
                .into_iter()
                .map(|t| t.term)
                .collect();
            self.name_rules.set.hits(terms.iter().map(String::as_str))
        };
        let mut article: Option<Hits> = None;
        let mut article_hits = |hits_of: &mut dyn FnMut(&str) -> Hits| -> Hits {
            article
                .get_or_insert_with(|| {
                    let mut all = title.map(&mut *hits_of).unwrap_or_default();
                    for p in passages {
                        all.merge(&hits_of(p));
                    }
                    all
                })
                .clone()
        };
        let mut texts: Vec<(Option<&str>, &mut Vec<Mention>, usize, bool)> = Vec::new();
        texts.push((title, title_mentions, 0, true));
        for (i, (body, text)) in bodies.iter_mut().zip(passages).enumerate() {
            texts.push((Some(text), body, i, false));
        }
        for (text, mentions, slot, in_title) in texts {
            if !needs(mentions) {
                continue;
            }
            let passage = text.map(&mut hits_of).unwrap_or_default();
            let mut kept = Vec::with_capacity(mentions.len());
            for m in mentions.drain(..) {
                let Some(rule) = self.name_rules.rule_of(m.name) else {
                    kept.push(m);
                    continue;
                };
                let mut ctx = Context {
                    before: m.before.as_deref(),
                    after: m.after.as_deref(),
                    passage: Some(&passage),
                    ..Context::default()
                };
                let mut decision = self.name_rules.set.decide(rule, &ctx);
                let r = &self.name_rules.set.rules[rule];
                let article_needed =
                    matches!(decision.cue, crate::analysis::senses::Cue::Undecided);
                let whole;
                if article_needed {
                    whole = article_hits(&mut hits_of);
                    ctx.article = Some(&whole);
                    decision = self.name_rules.set.decide(rule, &ctx);
                }
                if Some(decision.sense) == r.group_sense {
                    kept.push(m);
                } else {
                    out[slot].push(SetAside {
                        spelling: m.spelling.clone(),
                        sense: r.senses[decision.sense].id.clone(),
                        rule: r.id.clone(),
                        reason: decision.cue.to_string(),
                        in_title,
                    });
                }
            }
            // A name shared by two groups (فاغنر: Wagner's own, Africa Corps' related)
            // is set aside once.
            out[slot].dedup();
            *mentions = kept;
        }
        out
    }
}
