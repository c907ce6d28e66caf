//! Near spellings: a word that matches nothing in the index (neither its stem nor a
//! variant) also searches the stems of the indexed forms one edit away from it as typed.

use super::types::QueryPlan;
use super::words::{Role, WordClause};
use super::QueryBuilder;
use crate::analysis::analyze;
use crate::analysis::clitics::ARTICLE;
use crate::analysis::variants::{Variant, MIN_LETTERS};

impl QueryBuilder<'_> {
    /// The clauses of a word's near spellings (see [`Self::near_spellings`]): each in
    /// `text` at the `near` weight and in `title` at `near` × `title`; they are
    /// highlighted too.
    pub(super) fn near_clauses(
        &self,
        near_terms: &[String],
        plan: &mut QueryPlan,
    ) -> Vec<WordClause> {
        let Some(weight) = self.weights.near else {
            return Vec::new();
        };
        let mut clauses = Vec::with_capacity(2 * near_terms.len());
        for near in near_terms {
            let terms = vec![(0, near.clone())];
            clauses.push(WordClause {
                role: Role::Near,
                field: self.fields.text,
                terms: terms.clone(),
                weight,
            });
            clauses.push(WordClause {
                role: Role::Near,
                field: self.fields.title,
                terms,
                weight: weight * self.weights.title,
            });
            plan.ranked_highlights.insert(near.clone());
        }
        clauses
    }

    /// The near spellings of a word the index lacks, as `text` terms: the stems of the
    /// indexed forms one edit away from its form as typed, `exact`, or from that form
    /// with the article added or removed (a typo, even in an ending the stemmer would
    /// have removed: الاغتيالاث → الاغتيالات → اغتيال; another transliteration: كيتال →
    /// كيدال, رودوفيت → الروديوفيت), at most `near.max_terms` (`schema.json` → `search`).
    /// Empty when the index has the word's stem `ranked` or any of its `variants` (in
    /// `text` or `title`), when the word is not all letters (a number one digit off is
    /// another number) or its stem is shorter than `near.min_letters`, and without a
    /// vocabulary or a `near` weight. Stems under three letters are left out.
    pub(super) fn near_spellings(
        &mut self,
        word: &str,
        exact: &str,
        ranked: &str,
        variants: &[Variant],
    ) -> Vec<String> {
        let (Some(vocabulary), Some(_)) = (self.vocabulary, self.weights.near) else {
            return Vec::new();
        };
        let (min_letters, max_terms) = (self.near.min_letters, self.near.max_terms);
        if ranked.chars().count() < min_letters || !word.chars().all(char::is_alphabetic) {
            return Vec::new();
        }
        // A group's own name (JNIM, داعش) is searched through the group's tag: the index
        // lacking the word as written is no sign of a misspelling (JNIM is not JIM).
        if self.groups.is_some_and(|g| g.names_group(word).is_some()) {
            return Vec::new();
        }
        let indexed = |term: &str| {
            vocabulary.contains(self.fields.text, term)
                || vocabulary.contains(self.fields.title, term)
        };
        if indexed(ranked) || variants.iter().any(|v| indexed(&v.term)) {
            return Vec::new();
        }
        // The form as typed, and with the article added or removed: a name typed bare is
        // most often written with it (رودوفيت, الروديوفيت) and the other way round.
        let toggled = match exact.strip_prefix(ARTICLE) {
            Some(bare) if bare.chars().count() >= min_letters => bare.to_string(),
            Some(_) => String::new(),
            None => format!("{ARTICLE}{exact}"),
        };
        let mut forms = vocabulary.near(self.fields.text_exact, exact, 1, max_terms);
        if !toggled.is_empty() {
            forms.extend(vocabulary.near(self.fields.text_exact, &toggled, 1, max_terms));
        }
        let mut near: Vec<String> = Vec::new();
        for form in forms {
            if near.len() == max_terms {
                break;
            }
            if let [stem] = analyze(&mut self.ranked, &form).as_slice() {
                if stem.term != ranked
                    && stem.term.chars().count() >= MIN_LETTERS
                    && !near.contains(&stem.term)
                {
                    near.push(stem.term.clone());
                }
            }
        }
        near
    }
}
