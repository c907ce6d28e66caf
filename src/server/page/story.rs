//! The story of an article on its page and in `GET /api/v1/articles/{id}`: the other
//! copies of the same wire story (outlet, date, title, who had it first) and what each
//! changed, as [`crate::stories::report::story_view`] computes it for `akhbar story ID`.

use maud::{html, Markup};
use serde::Serialize;

use super::article_href;
use crate::search::Engine;
use crate::server::adapter::{self, ArticleView};
use crate::server::params::shown;
use crate::server::ApiError;
use crate::stories::report::{story_view, StoryView};
use crate::stories::StorySettings;

/// `GET /api/v1/articles/{id}`: the article and its story.
#[derive(Serialize)]
pub struct ArticleWithStory {
    #[serde(flatten)]
    pub article: ArticleView,
    /// Its story: every copy, first published first (one copy when no other outlet
    /// carried it); absent when the index has no story for it.
    pub story: Option<StoryView>,
}

/// The article `id` of the engine's index (with the highlights of `query`) and its story,
/// for the API and the article page alike: 404 when no article has that id.
pub fn article_with_story(
    engine: &Engine,
    settings: &StorySettings,
    id: &str,
    query: Option<&str>,
) -> Result<ArticleWithStory, ApiError> {
    let article = adapter::article(engine, id, query)
        .map_err(ApiError::internal)?
        .ok_or_else(|| {
            ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                format!("no article `{}`", shown(id)),
            )
        })?;
    let story = story_for(engine, settings, &article.id)?;
    Ok(ArticleWithStory { article, story })
}

/// The story of an article of the engine's index.
pub fn story_for(
    engine: &Engine,
    settings: &StorySettings,
    article_id: &str,
) -> Result<Option<StoryView>, ApiError> {
    story_view(&engine.idx, settings, article_id).map_err(ApiError::internal)
}

/// How a copy differs from the first, in words.
fn changes(c: &crate::stories::report::CopyView) -> String {
    if c.first {
        return "النسخة الأولى".into();
    }
    let mut out = match c.similarity {
        Some(s) => format!("تشابه {s:.2} · "),
        None => String::new(),
    };
    if c.changed.is_empty() && c.missing == 0 {
        out.push_str("النص نفسه");
    } else {
        out.push_str(&format!(
            "{} من {} فقرات جديدة أو معدّلة · {} من فقرات الأولى ناقصة",
            c.changed.len(),
            c.passages,
            c.missing
        ));
    }
    out
}

/// The story section of the article `current`'s page (nothing when no other copy).
pub fn section(story: &StoryView, current: &str, query: &str) -> Markup {
    if story.copies < 2 {
        return html! {};
    }
    html! {
        section.story id="story" {
            h2 { "الخبر نفسه في " (story.copies) " نسخ من " (story.outlets.len()) " مصادر" }
            p.meta {
                @if let (Some(o), Some(d)) = (&story.first_outlet, &story.first_published) {
                    "نشره أولًا " strong { (o) } " في " time datetime=(d) { (d) } " · "
                }
                "القصة " code.story-id { (story.id) }
            }
            table.story-copies {
                thead { tr { th { "المصدر" } th { "التاريخ" } th { "العنوان" } th { "ما تغيّر" } } }
                tbody {
                    @for c in &story.articles {
                        tr.copy.current[c.article_id == current] data-article=(c.article_id) {
                            td.outlet { (c.outlet.as_deref().unwrap_or("-")) }
                            td { (c.published.as_deref().unwrap_or("بلا تاريخ")) }
                            td dir="auto" {
                                @let title = c.title.as_deref().unwrap_or(&c.article_id);
                                @if c.article_id == current { strong { (title) } " (هذه المقالة)" }
                                @else { a href=(article_href(&c.article_id, query)) { (title) } }
                            }
                            td.changes {
                                (changes(c))
                                @for added in &c.added { blockquote dir="auto" { "+ " (added) "…" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stories::report::CopyView;

    fn copy(id: &str, first: bool, changed: Vec<usize>, missing: usize) -> CopyView {
        CopyView {
            article_id: id.into(),
            outlet: Some(if first { "SPA" } else { "Okaz" }.into()),
            title: Some(format!("عنوان {id}")),
            published: Some("2015-08-01".into()),
            first,
            similarity: (!first).then_some(0.8125),
            passages: 3,
            added: changed.iter().map(|i| format!("فقرة {i}")).collect(),
            changed,
            missing,
        }
    }

    #[test]
    fn changes_are_said_in_words() {
        assert_eq!(changes(&copy("a", true, vec![], 0)), "النسخة الأولى");
        assert_eq!(
            changes(&copy("b", false, vec![], 0)),
            "تشابه 0.81 · النص نفسه"
        );
        assert_eq!(
            changes(&copy("b", false, vec![2], 1)),
            "تشابه 0.81 · 1 من 3 فقرات جديدة أو معدّلة · 1 من فقرات الأولى ناقصة"
        );
    }

    #[test]
    fn the_section_links_the_other_copies_and_marks_this_one() {
        let story = StoryView {
            id: "00000000000000aa".into(),
            copies: 2,
            outlets: vec!["SPA".into(), "Okaz".into()],
            first_published: Some("2015-08-01".into()),
            first_outlet: Some("SPA".into()),
            articles: vec![copy("a", true, vec![], 0), copy("b", false, vec![2], 1)],
        };
        let html = section(&story, "b", "").into_string();
        assert!(html.contains(r#"href="/article/a""#), "{html}");
        assert!(!html.contains(r#"href="/article/b""#), "{html}");
        assert!(html.contains("نشره أولًا <strong>SPA</strong>"), "{html}");
        assert!(html.contains("+ فقرة 2…"), "{html}");
        // A story of one copy shows nothing.
        let alone = StoryView {
            copies: 1,
            articles: vec![copy("a", true, vec![], 0)],
            ..story
        };
        assert_eq!(section(&alone, "a", "").into_string(), "");
    }
}
