//! Tagging an article: its passages' and title's mentions become per-passage tags
//! ([`GroupTag`]): own names tag, related names tag when their distinct weights reach
//! `tag_threshold` (and, for a group with a `founded` day, only in articles from then on).

use super::{decide, Gazetteer, GroupTag, Mention};

impl Gazetteer {
    /// The tags of an article's passages: one list per passage (groups in gazetteer
    /// order), counting the title's mentions for every passage. The article's date is
    /// not known: see [`Gazetteer::tag_article_on`].
    pub fn tag_article(&self, title: Option<&str>, passages: &[&str]) -> Vec<Vec<GroupTag>> {
        self.tag_article_on(title, None, passages)
    }

    /// [`Gazetteer::tag_article`] for an article published on `published` (`YYYY-MM-DD`,
    /// None when undated): a group founded later is not tagged through related names.
    pub fn tag_article_on(
        &self,
        title: Option<&str>,
        published: Option<&str>,
        passages: &[&str],
    ) -> Vec<Vec<GroupTag>> {
        let mut analyzer = self.analyzer();
        let mut skeleton = Vec::new();
        let mut title_mentions = match title {
            Some(t) if self.may_mention(t, &mut skeleton) => self.mentions_with(&mut analyzer, t),
            _ => Vec::new(),
        };
        let mut bodies: Vec<Vec<Mention>> = passages
            .iter()
            .map(|text| match self.may_mention(text, &mut skeleton) {
                true => self.mentions_with(&mut analyzer, text),
                false => Vec::new(),
            })
            .collect();
        let mut set_aside = self.settle(
            &mut analyzer,
            title,
            passages,
            &mut title_mentions,
            &mut bodies,
        );
        let any = !title_mentions.is_empty() || bodies.iter().any(|b| !b.is_empty());
        let related_ok: Vec<bool> = match any {
            true => self.related_allowed(published, title, passages),
            false => Vec::new(),
        };
        let mut out = Vec::with_capacity(passages.len());
        for (ordinal, body) in bodies.iter().enumerate() {
            let aside = std::mem::take(&mut set_aside[ordinal]);
            if body.is_empty() && title_mentions.is_empty() {
                out.push(self.set_aside_only(aside));
                continue;
            }
            let tags = self.count(ordinal, body, &title_mentions);
            out.push(self.keep(tags, aside, &related_ok));
        }
        out
    }

    /// Per group (gazetteer order): the passage's and title's mentions counted, and the
    /// summed weight of its distinct related names.
    fn count(
        &self,
        ordinal: usize,
        body: &[Mention],
        title_mentions: &[Mention],
    ) -> Vec<(GroupTag, f32)> {
        let mut tags: Vec<(GroupTag, f32)> = vec![(GroupTag::default(), 0.0); self.groups.len()];
        // Related names count once each towards the threshold: three mentions of
        // فاغنر (0.2 for Africa Corps) do not make a passage about Africa Corps.
        let mut counted: Vec<(usize, usize)> = Vec::new();
        let all = body.iter().map(|m| (m, false));
        for (m, in_title) in all.chain(title_mentions.iter().map(|m| (m, true))) {
            let (tag, related_weight) = &mut tags[m.group];
            let factor = if in_title { self.title_factor } else { 1.0 };
            tag.strength += m.weight * factor;
            match (m.own, in_title) {
                (true, false) => tag.own += 1,
                (true, true) => tag.title_own += 1,
                (false, false) => tag.related += 1,
                (false, true) => tag.title_related += 1,
            }
            if !m.own && !counted.contains(&(m.group, m.name)) {
                counted.push((m.group, m.name));
                *related_weight += m.weight;
            }
            if !in_title || ordinal == 0 {
                *tag.spellings.entry(m.spelling.clone()).or_insert(0) += 1;
            }
        }
        tags
    }

    /// The tags kept for a passage: the tagged groups, and untagged entries for groups
    /// with mentions set aside.
    fn keep(
        &self,
        tags: Vec<(GroupTag, f32)>,
        mut aside: Vec<decide::SetAside>,
        related_ok: &[bool],
    ) -> Vec<GroupTag> {
        let mut kept = Vec::new();
        for (g, (mut tag, related_weight)) in tags.into_iter().enumerate() {
            tag.group = self.groups[g].id.clone();
            tag.set_aside = decide::take_group(&mut aside, &tag.group, &self.name_rules);
            // Weights are tenths: compare with a little slack for float sums.
            let by_related = related_ok.get(g).copied().unwrap_or(true)
                && related_weight + 1e-4 >= self.tag_threshold;
            tag.tagged = tag.by_own_name() || by_related;
            if tag.tagged {
                tag.strength = (tag.strength * 100.0).round() / 100.0;
                kept.push(tag);
            } else if !tag.set_aside.is_empty() {
                kept.push(GroupTag {
                    group: tag.group,
                    set_aside: tag.set_aside,
                    tagged: false,
                    ..GroupTag::default()
                });
            }
        }
        kept.extend(self.set_aside_only(aside));
        kept
    }

    /// Per group: whether related names may tag this article. A group with a `founded`
    /// day only from that day on; an undated article is dated by the latest year it
    /// writes (1900–2099, Western or Arabic-Indic digits), and one that writes no year
    /// cannot be told apart: allowed.
    fn related_allowed(
        &self,
        published: Option<&str>,
        title: Option<&str>,
        passages: &[&str],
    ) -> Vec<bool> {
        let mut latest_year: Option<Option<u32>> = None;
        self.groups
            .iter()
            .map(|g| {
                let Some(founded) = g.founded.as_deref() else {
                    return true;
                };
                if let Some(day) = published {
                    return day >= founded;
                }
                let year = *latest_year.get_or_insert_with(|| {
                    title
                        .into_iter()
                        .chain(passages.iter().copied())
                        .filter_map(latest_year_in)
                        .max()
                });
                let founded_year: u32 = founded.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
                year.is_none_or(|y| y >= founded_year)
            })
            .collect()
    }
}

/// The latest year (1900–2099) written as a run of exactly four digits in `text`.
fn latest_year_in(text: &str) -> Option<u32> {
    let digit = |c: char| match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x660),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x6F0),
        _ => None,
    };
    let mut best = None;
    let (mut value, mut len) = (0u32, 0usize);
    for c in text.chars().chain(std::iter::once(' ')) {
        match digit(c) {
            Some(d) => {
                value = value.saturating_mul(10).saturating_add(d);
                len += 1;
            }
            None => {
                if len == 4 && (1900..=2099).contains(&value) {
                    best = best.max(Some(value));
                }
                (value, len) = (0, 0);
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn gazetteer() -> Gazetteer {
        Gazetteer::new(&Config::builtin()).expect("built-in gazetteer compiles")
    }

    #[test]
    fn tagging_counts_titles_and_thresholds() {
        let g = gazetteer();
        let tags = g.tag_article(
            Some("«القاعدة» تعلن قتل 50 من المرتزقة الروس"),
            &[
                "قتلت 50 من المرتزقة من مجموعة «فاغنر» الروسية ومرتزقة «فاغنر»",
                "لكنهم مدربون روس يساعدون القوات",
                "نص لا يذكر أحدا",
            ],
        );
        // Passage 0: two own mentions and the title's related one (× 2). The longest
        // name matches: مجموعة «فاغنر» and ومرتزقة «فاغنر» are own names as a whole.
        assert_eq!(
            tags[0],
            vec![GroupTag {
                group: "wagner".into(),
                own: 2,
                related: 0,
                title_own: 0,
                title_related: 1,
                strength: 3.0,
                spellings: [
                    ("مجموعة فاغنر".to_string(), 1),
                    ("مرتزقة فاغنر".to_string(), 1),
                    ("المرتزقة الروس".to_string(), 1),
                ]
                .into_iter()
                .collect(),
                tagged: true,
                set_aside: Vec::new(),
            }]
        );
        // Passage 1: a weak related name plus the title: tagged, title spelling not
        // repeated after the first passage.
        assert_eq!(tags[1].len(), 1);
        assert_eq!(tags[1][0].strength, 1.3);
        assert_eq!(tags[1][0].spellings.len(), 1);
        // Passage 2: the title alone.
        assert_eq!(tags[2][0].group, "wagner");
        assert!(!tags[2][0].by_own_name());
        // A weak related name repeated does not add up: Wagner ×3 is not Africa Corps.
        let repeated = g.tag_article(None, &["فاغنر ثم فاغنر ثم فاجنر"]);
        assert_eq!(repeated[0].len(), 1);
        assert_eq!(repeated[0][0].group, "wagner");
        // Without the title, the weak name alone does not tag.
        let untitled = g.tag_article(None, &["لكنهم مدربون روس يساعدون القوات"]);
        assert!(untitled[0].is_empty());
    }

    /// JNIM was founded on 2017-03-02: its forerunner Ansar Dine and its leader tag an
    /// article from 2018, not one from 2015 (dated, or undated and writing 2012–2013).
    #[test]
    fn related_names_tag_only_after_the_group_was_founded() {
        let g = gazetteer();
        let text = "وقال المحلل إن «الهجوم يحمل بصمات إياد اغ غالي» زعيم جماعة أنصار الدين \
                    التي سيطرت على شمال البلاد بين 2012 وبداية 2013.";
        let jnim = |tags: &[Vec<GroupTag>]| tags[0].iter().any(|t| t.group == "jnim" && t.tagged);
        assert!(jnim(&g.tag_article_on(None, Some("2018-05-23"), &[text])));
        assert!(!jnim(&g.tag_article_on(None, Some("2015-08-10"), &[text])));
        assert!(!jnim(&g.tag_article_on(None, None, &[text])));
        // Undated without a year: cannot tell, tagged.
        let no_year = "بصمات إياد اغ غالي زعيم جماعة أنصار الدين";
        assert!(jnim(&g.tag_article_on(None, None, &[no_year])));
        // An own name tags whatever the date.
        let own = "تبنت جماعة نصرة الإسلام والمسلمين الهجوم";
        assert!(jnim(&g.tag_article_on(None, Some("2015-08-10"), &[own])));
    }

    #[test]
    fn the_latest_year_written() {
        assert_eq!(latest_year_in("بين 2012 وبداية 2013، منذ 1998"), Some(2013));
        assert_eq!(latest_year_in("عام ٢٠١٨ و 12345 و 3000"), Some(2018));
        assert_eq!(latest_year_in("لا سنة هنا 150"), None);
    }
}
