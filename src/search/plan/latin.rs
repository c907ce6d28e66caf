//! Words, runs of words and phrases typed in Latin letters on the boolean path: the text
//! as typed OR its Arabic forms ([`crate::search::latin`]).

use tantivy::query::{BooleanQuery, Occur as TOccur, Query};

use super::types::{boosted, BuiltNode, QueryPlan, WordKind};
use super::QueryBuilder;
use crate::analysis::analyze;
use crate::search::latin::Mapping;

/// A typed text [`QueryBuilder::latin`] may map.
pub(super) struct LatinInput {
    pub text: String,
    /// Quoted (a phrase) rather than a bare word.
    pub phrase: bool,
    /// In `title:`.
    pub title: bool,
}

impl QueryBuilder<'_> {
    /// A word or phrase typed in Latin letters: the text as typed OR each of its Arabic
    /// forms (a listed name's at the list's weight, transliterations lower), each built
    /// like a typed Arabic word or phrase and listed in the plan with kind `latin-name`
    /// or `transliteration` and the Latin it stands for; a note says what was searched,
    /// or that no Arabic spelling is known for the word. None when the text is not
    /// Latin, names a group (the gazetteer expands it) or is a run of words no name
    /// matches; Some(None) when nothing in it can match.
    pub(super) fn latin(
        &mut self,
        input: LatinInput,
        plan: &mut QueryPlan,
        stop_words_count: bool,
    ) -> Option<Option<BuiltNode>> {
        let latin = self.latin?;
        if self
            .groups
            .is_some_and(|g| g.names_group(&input.text).is_some())
        {
            return None;
        }
        let typed = |builder: &mut Self, text: &str, plan: &mut QueryPlan| {
            if input.phrase {
                builder.phrase(text, plan, input.title)
            } else {
                builder.word(text, plan, stop_words_count, input.title)
            }
        };
        let forms = match latin.map(&input.text, self.vocabulary, self.fields.text_exact) {
            Mapping::None => return None,
            Mapping::Unknown => {
                let built = typed(self, &input.text, plan);
                if built.is_some() {
                    let note = format!("no Arabic spelling known for \"{}\"", input.text);
                    plan.notes.push(note);
                }
                return Some(built);
            }
            Mapping::Forms(forms) => forms,
        };
        let kind = match forms.kind {
            "transliteration" => WordKind::Transliteration,
            _ => WordKind::LatinName,
        };
        // The word has known Arabic spellings: neither they nor the Latin as typed get
        // near spellings (Mali is not mail or bali).
        let near = self.weights.near.take();
        let mut parts: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        if let Some(built) = typed(self, &input.text, plan) {
            parts.push((TOccur::Should, built.query));
        }
        let mut seen: Vec<Vec<String>> = Vec::new();
        let mut searched = forms.clone();
        searched.arabic.clear();
        for form in &forms.arabic {
            let exact: Vec<String> = analyze(&mut self.exact, form)
                .into_iter()
                .map(|t| t.term)
                .collect();
            // A spelling the analyzer folds into one already searched (a lexicon twin),
            // or a stop word, adds nothing.
            if seen.contains(&exact) || analyze(&mut self.ranked, form).is_empty() {
                continue;
            }
            let built = if exact.len() > 1 {
                self.phrase(form, plan, input.title)
            } else {
                self.word(form, plan, true, input.title)
            };
            seen.push(exact);
            if let Some(word_plan) = plan.words.last_mut() {
                word_plan.kind = kind;
                word_plan.latin = Some(input.text.clone());
                // The form's clause is weighed by the list's weight as a whole.
                for term in &mut word_plan.searched {
                    term.weight *= forms.weight;
                }
            }
            if let Some(built) = built {
                parts.push((TOccur::Should, boosted(built.query, forms.weight)));
                searched.arabic.push(form.clone());
            }
        }
        self.weights.near = near;
        if !searched.arabic.is_empty() {
            plan.notes.push(searched.note(&input.text));
        }
        if parts.is_empty() {
            return Some(None);
        }
        Some(Some(BuiltNode::content(Box::new(BooleanQuery::new(parts)))))
    }
}
