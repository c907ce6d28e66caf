//! The article page, the groups page, the query-language help and the exports.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use maud::{html, Markup};

use super::{error_page, facet_only, layout, marked, percent};
use crate::server::adapter::{self, ArticleView};
use crate::server::api::{loaded, run_search};
use crate::server::params::{pairs, SearchParams, MAX_LIMIT};
use crate::server::timeline::{self, Series};
use crate::server::{blocking, ApiError, Shared};
use crate::stories::report::StoryView;

/// The query language, one row per construct (the README's table, shortened).
pub fn help_table() -> Markup {
    let rows: &[(&str, &str)] = &[
        (
            "فاغنر مالي",
            "كلمات: تطابق السوابق واللواحق والتشكيل وصيغ الأسماء (وفاغنر، فاجنر، بمالي)",
        ),
        ("تين زاوتين", "اسم من كلمتين = تنزاواتين = تينزاواتين"),
        ("\"المرتزقة الروس\"", "عبارة: الكلمات متجاورة؛ «…» أيضًا"),
        ("+فاغنر -أوكرانيا", "كلمة لازمة / مستبعدة"),
        ("فاغنر OR فاجنر", "إحداهما؛ والأقواس للتجميع"),
        ("title:كمين", "في العنوان فقط"),
        ("outlet:BBC", "مصدر واحد (بأي من أسمائه)"),
        (
            "about:wagner",
            "فقرات عن مجموعة (معرّفها في صفحة المجموعات): wagner، jnim، islamic-state…",
        ),
    ];
    html! {
        table.help-table {
            caption { "لغة البحث" }
            @for (example, meaning) in rows {
                tr { td { code dir="auto" { (example) } } td { (meaning) } }
            }
        }
    }
}

pub async fn help_page() -> Response {
    let body = html! {
        main.help-page {
            h1 { "لغة البحث" }
            (help_table())
            p { "الكلمة التي لا توجد في الفهرس تبحث أيضًا عن الصيغ القريبة منها بحرف واحد، وتظهر ملاحظة بذلك. "
                "الفرز: الأكثر صلة، الأحدث، الأقدم. كل حالة للصفحة رابط يمكن مشاركته." }
        }
    };
    layout("لغة البحث", "", body).into_response()
}

fn article_body(
    view: &ArticleView,
    names: &BTreeMap<String, String>,
    story: Option<&StoryView>,
) -> Markup {
    let safe_url = view
        .url
        .as_deref()
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    let back = view.query.as_deref().map(|q| {
        format!(
            "/search?{}",
            serde_urlencoded::to_string([("q", q)]).unwrap_or_default()
        )
    });
    html! {
        main.article {
            @if let Some(back) = back { p.back { a href=(back) { "→ النتائج" } } }
            h1 dir="auto" { (view.title.as_deref().unwrap_or(&view.id)) }
            p.meta {
                @if let Some(o) = &view.outlet { a.outlet href=(format!("/search?outlet={}", percent(o))) { (o) } }
                @if let Some(d) = &view.published { " · " time datetime=(d) { (d) } }
                @if let Some(c) = &view.category { " · " span.category dir="auto" { (c) } }
                " · " code.id { (view.id) }
                @for g in &view.groups {
                    a.chip href=(format!("/search?about={}", percent(g))) { (names.get(g).map_or(g.as_str(), String::as_str)) }
                }
            }
            @if let Some(url) = safe_url {
                p.source { a href=(url) rel="noopener noreferrer nofollow" dir="ltr" { (url) } }
            }
            @if !view.notes.is_empty() {
                ul.notes { @for note in &view.notes { li dir="auto" { (note) } } }
            }
            @for p in &view.passages {
                section.passage id=(format!("p{}", p.ordinal)) {
                    p dir="auto" {
                        @let spans: Vec<(usize, usize)> = p.highlights.iter().map(|h| (h[0], h[1])).collect();
                        (marked(&p.text, &spans))
                    }
                    @if !p.groups.is_empty() {
                        p.passage-groups { "§" (p.ordinal) " · "
                            @for g in &p.groups { span.chip { (names.get(g).map_or(g.as_str(), String::as_str)) } }
                        }
                    }
                }
            }
            @if let Some(story) = story {
                (super::story::section(story, &view.id, view.query.as_deref().unwrap_or("")))
            }
            @if let Some(body) = &view.body {
                details.original {
                    summary { "النص الأصلي كما فُهرس" }
                    pre dir="auto" { (body) }
                }
            }
        }
    }
}

pub async fn article_page(
    State(state): State<Shared>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let query = pairs(raw.as_deref())
        .ok()
        .and_then(|p| p.into_iter().rev().find(|(n, _)| n == "q").map(|(_, v)| v));
    let shown_query = query.clone().unwrap_or_default();
    let loaded = match loaded(&state) {
        Ok(l) => l,
        Err(e) => return error_page(&e, &shown_query),
    };
    let config = state.live.config().clone();
    let result = state
        .searches
        .run(move || {
            let with = super::story::article_with_story(
                &loaded.engine,
                &config.stories,
                &id,
                query.as_deref(),
            )?;
            Ok((with.article, adapter::group_names(&config), with.story))
        })
        .await;
    match result {
        Ok((view, names, story)) => {
            let title = view.title.clone().unwrap_or_else(|| view.id.clone());
            let body = article_body(&view, &names, story.as_ref());
            layout(&title, &shown_query, body).into_response()
        }
        Err(e) => error_page(&e, &shown_query),
    }
}

/// Articles per month of a filter-only search.
fn months_of(
    loaded: &crate::server::live::Loaded,
    about: &str,
    outlet: Option<&str>,
) -> Result<BTreeMap<String, u64>, ApiError> {
    let mut p = SearchParams::parse(&[], true)?;
    p.request.about = vec![about.to_string()];
    p.request.outlets = outlet.map(|o| vec![o.to_string()]).unwrap_or_default();
    facet_only(&mut p);
    Ok(adapter::months(&run_search(loaded, &p)?).clone())
}

/// Outlets shown with their own timeline per group.
const OUTLET_TIMELINES: usize = 4;

pub async fn groups_page(State(state): State<Shared>) -> Response {
    let loaded = match loaded(&state) {
        Ok(l) => l,
        Err(e) => return error_page(&e, ""),
    };
    let config = state.live.config().clone();
    let result = blocking(move || {
        let report = loaded.groups(&config).map_err(ApiError::internal)?.to_vec();
        let mut charts = Vec::new();
        for g in &report {
            let all = months_of(&loaded, &g.id, None)?;
            let mut outlets = Vec::new();
            for (outlet, _) in g.outlets.iter().take(OUTLET_TIMELINES) {
                outlets.push((outlet.clone(), months_of(&loaded, &g.id, Some(outlet))?));
            }
            charts.push((all, outlets));
        }
        Ok((report, charts))
    })
    .await;
    let (report, charts) = match result {
        Ok(r) => r,
        Err(e) => return error_page(&e, ""),
    };
    let body = html! {
        main.groups-page {
            h1 { "المجموعات" }
            @for (g, (all, outlets)) in report.iter().zip(&charts) {
                @let name = g.display.get("ar").cloned().unwrap_or_else(|| g.id.clone());
                @let link = |y: i32, m: u32| format!("/search?about={}&from={y:04}-{m:02}-01&to={y:04}-{m:02}-{:02}", percent(&g.id), timeline::last_day(y, m));
                section.group id=(g.id) {
                    h2 { a href=(format!("/search?about={}", percent(&g.id))) { (name) } " " span.latin { (g.display.get("en").map_or(g.id.as_str(), String::as_str)) } }
                    p { (g.articles) " مقالة · " (g.passages) " فقرة (" (g.passages_own_name) " بالاسم الصريح)"
                        @if let (Some(a), Some(b)) = (&g.first_date, &g.last_date) { " · " bdi dir="ltr" { (a) " – " (b) } } }
                    (timeline::chart(&[Series { name: name.clone(), colour: timeline::COLOURS[0], counts: all }], &link))
                    @for (outlet, months) in outlets {
                        @let olink = |y: i32, m: u32| format!("/search?about={}&outlet={}&from={y:04}-{m:02}-01&to={y:04}-{m:02}-{:02}", percent(&g.id), percent(outlet), timeline::last_day(y, m));
                        div.outlet-timeline {
                            h4 { a href=(format!("/search?about={}&outlet={}", percent(&g.id), percent(outlet))) { (outlet) } }
                            @if months.is_empty() {
                                // No month to draw: say so rather than leave the heading alone.
                                p.undated { "لا تاريخ نشر لمقالات هذا المصدر، فلا خط زمني لها" }
                            } @else {
                                (timeline::chart(&[Series { name: outlet.clone(), colour: timeline::COLOURS[1], counts: months }], &olink))
                            }
                        }
                    }
                    @if !g.outlets.is_empty() {
                        p.list { "المصادر: "
                            @for (o, n) in &g.outlets { a href=(format!("/search?about={}&outlet={}", percent(&g.id), percent(o))) { (o) " " (n) } " · " } }
                    }
                    @if !g.spellings.is_empty() {
                        p.list { "الصيغ: " @for (s, n) in g.spellings.iter().take(20) { span dir="auto" { (s) " " (n) } " · " } }
                    }
                }
            }
        }
    };
    layout("المجموعات", "", body).into_response()
}

/// The current search with up to [`MAX_LIMIT`] results from the first.
fn export_params(raw: Option<&str>) -> Result<SearchParams, ApiError> {
    let mut params = SearchParams::parse(&pairs(raw)?, true)?;
    params.request.offset = 0;
    params.request.limit = MAX_LIMIT;
    Ok(params)
}

async fn export(
    state: &Shared,
    raw: Option<String>,
) -> Result<crate::search::SearchResponse, ApiError> {
    let params = export_params(raw.as_deref())?;
    let loaded = loaded(state)?;
    state
        .searches
        .run(move || run_search(&loaded, &params))
        .await
}

pub async fn export_json(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    match export(&state, raw).await {
        Ok(response) => (
            [(
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"akhbar.json\"",
            )],
            Json(response),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// One CSV field, quoted when it must be (RFC 4180); a leading `=+-@` is prefixed with
/// `'` so a spreadsheet does not run it as a formula.
fn csv_field(out: &mut String, value: &str) {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        let _ = write!(out, "\"{}\"", value.replace('"', "\"\""));
    } else {
        out.push_str(&value);
    }
}

pub fn to_csv(response: &crate::search::SearchResponse) -> String {
    let mut out = String::from(
        "rank,score,doc_id,passage,outlet,published,title,url,groups,more_passages,snippet\r\n",
    );
    for hit in &response.hits {
        let fields = [
            hit.rank.to_string(),
            format!("{:.4}", hit.score),
            hit.doc_id.to_string(),
            hit.passage.to_string(),
            hit.outlet.clone().unwrap_or_default(),
            hit.published.clone().unwrap_or_default(),
            hit.title.clone().unwrap_or_default(),
            hit.url.clone().unwrap_or_default(),
            hit.groups.join(" "),
            hit.more_passages.to_string(),
            hit.snippet.clone(),
        ];
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            csv_field(&mut out, f);
        }
        out.push_str("\r\n");
    }
    out
}

pub async fn export_csv(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    match export(&state, raw).await {
        Ok(response) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"akhbar.csv\"",
                ),
            ],
            to_csv(&response),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let mut out = String::new();
        csv_field(&mut out, "a,\"b\"");
        out.push(',');
        csv_field(&mut out, "=HYPERLINK(1)");
        out.push(',');
        csv_field(&mut out, "فاغنر");
        assert_eq!(out, "\"a,\"\"b\"\"\",'=HYPERLINK(1),فاغنر");
    }
}
