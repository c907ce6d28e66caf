//! The search page: server-rendered HTML (maud escapes every value), right-to-left
//! Arabic, usable without JavaScript and on a phone. Every state is a URL: the query,
//! outlet and group filters, dates, sort and page are all query parameters, and each
//! facet, timeline bar and page link is a plain link to the next state.
//! [`other`] holds the article, groups and help pages and the exports.

use std::collections::BTreeMap;

use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup, DOCTYPE};

use super::adapter;
use super::api::{loaded, run_search};
use super::params::{pairs, SearchParams};
use super::timeline::{self, Series};
use super::{ApiError, Shared};
use crate::search::Sort;
use crate::search::{Hit, SearchResponse};

pub mod other;
pub mod story;

const STYLE: &str = include_str!("../assets/style.css");
const SCRIPT: &str = include_str!("../assets/app.js");

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/", get(search_page))
        .route("/search", get(search_page))
        .route("/article/{*id}", get(other::article_page))
        .route("/groups", get(other::groups_page))
        .route("/help", get(other::help_page))
        .route("/export.csv", get(other::export_csv))
        .route("/export.json", get(other::export_json))
        .route("/assets/style.css", get(style))
        .route("/assets/app.js", get(script))
}

async fn style() -> Response {
    asset("text/css; charset=utf-8", STYLE)
}

async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// A whole page around `body`.
pub fn layout(title: &str, query: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html dir="rtl" lang="ar" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · أخبار" }
                link rel="stylesheet" href="/assets/style.css";
                script src="/assets/app.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/" { "أخبار" span.latin { "akhbar" } }
                    (search_form(query))
                    nav {
                        a href="/groups" { "المجموعات" }
                        a href="/help" { "لغة البحث" }
                    }
                }
                (body)
                footer { "akhbar · " a href="/api/v1/openapi.json" { "API" } }
            }
        }
    }
}

fn search_form(query: &str) -> Markup {
    html! {
        form.search action="/search" method="get" role="search" {
            input type="search" name="q" value=(query) dir="auto" autocomplete="off"
                placeholder="ابحث: فاغنر مالي، \"المرتزقة الروس\"، about:jnim" aria-label="البحث";
            button type="submit" { "ابحث" }
            details.help {
                summary { "؟" }
                (other::help_table())
            }
        }
    }
}

/// An HTML error page with its status.
pub fn error_page(error: &ApiError, query: &str) -> Response {
    let title = match error.status {
        StatusCode::BAD_REQUEST => "طلب غير صالح",
        StatusCode::NOT_FOUND => "غير موجود",
        StatusCode::SERVICE_UNAVAILABLE => "الفهرس غير متاح",
        _ => "خطأ",
    };
    let body = html! {
        main.error {
            h1 { (title) }
            p.message dir="auto" { (error.message) }
        }
    };
    (error.status, layout(title, query, body)).into_response()
}

pub async fn not_found(uri: Uri) -> Response {
    let error = ApiError::new(
        StatusCode::NOT_FOUND,
        format!("nothing at {}", super::params::shown(uri.path())),
    );
    if uri.path().starts_with("/api/") {
        return error.into_response();
    }
    error_page(&error, "")
}

/// What the results page shows besides the response.
struct PageData {
    params: SearchParams,
    response: SearchResponse,
    /// Outlet counts without the outlet filter (so several outlets can be chosen).
    outlets: BTreeMap<String, u64>,
    /// Articles per month: all matches, then each group the query names.
    series: Vec<(String, BTreeMap<String, u64>)>,
    group_names: BTreeMap<String, String>,
}

async fn search_page(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let params = match pairs(raw.as_deref()).and_then(|p| SearchParams::parse(&p, true)) {
        Ok(p) => p,
        Err(e) => return error_page(&e, ""),
    };
    let r = &params.request;
    let query = r.query.clone();
    if r.query.trim().is_empty()
        && r.outlets.is_empty()
        && r.about.is_empty()
        && r.from.is_none()
        && r.to.is_none()
    {
        return home(&state).into_response();
    }
    let loaded = match loaded(&state) {
        Ok(l) => l,
        Err(e) => return error_page(&e, &query),
    };
    let config = state.live.config().clone();
    let data = state
        .searches
        .run(move || {
            let response = run_search(&loaded, &params)?;
            let outlets = if params.request.outlets.is_empty() {
                response.facets.outlet.clone()
            } else {
                let mut all = params.clone();
                all.request.outlets.clear();
                facet_only(&mut all);
                run_search(&loaded, &all)?.facets.outlet
            };
            let mut series = vec![("كل النتائج".to_string(), adapter::months(&response).clone())];
            let group_names = adapter::group_names(&config);
            for group in adapter::named_groups(&response, &params.request.about) {
                let mut one = params.clone();
                one.request.about = vec![group.clone()];
                facet_only(&mut one);
                let months = adapter::months(&run_search(&loaded, &one)?).clone();
                let name = group_names.get(&group).cloned().unwrap_or(group);
                series.push((name, months));
            }
            Ok(PageData {
                params,
                response,
                outlets,
                series,
                group_names,
            })
        })
        .await;
    match data {
        Ok(data) => results(&data).into_response(),
        Err(e) => error_page(&e, &query),
    }
}

/// A search for counts only (no hits, no snippets).
pub fn facet_only(params: &mut SearchParams) {
    params.request.limit = 0;
    params.request.offset = 0;
    params.request.snippets = false;
    params.request.documents = false;
    params.request.explain = false;
}

fn home(state: &Shared) -> Markup {
    let stats = loaded(state).ok().map(|l| l.stats.clone());
    let body = html! {
        main.home {
            h1 { "البحث في الصحافة العربية عن الساحل" }
            @match &stats {
                Some(s) => p { (s.articles) " مقالة، " (s.passages) " فقرة، من " (s.outlets.len()) " مصدرًا"
                    @if let (Some(a), Some(b)) = (&s.first_date, &s.last_date) { "، " (a) " – " (b) } "." }
                None => p.notes { "الفهرس غير متاح الآن." }
            }
            p { "أمثلة: "
                @for q in ["فاغنر مالي", "\"المرتزقة الروس\"", "تين زاوتين", "about:jnim كمين"] {
                    a.example href=(format!("/search?{}", serde_urlencoded::to_string([("q", q)]).unwrap_or_default())) dir="auto" { (q) }
                    " "
                }
            }
            (other::help_table())
        }
    };
    layout("بحث", "", body)
}

fn with(params: &SearchParams, change: impl FnOnce(&mut SearchParams)) -> String {
    let mut p = params.clone();
    p.request.offset = 0;
    change(&mut p);
    format!("/search?{}", p.to_query_string())
}

fn results(data: &PageData) -> Markup {
    let p = &data.params;
    let r = &data.response;
    let title = if p.request.query.is_empty() {
        "نتائج"
    } else {
        p.request.query.as_str()
    };
    let body = html! {
        div.page {
            main.results {
                p.summary {
                    @match r.total {
                        Some(n) => { strong { (n) } @if p.request.all_passages { " فقرة" } @else { " مقالة" } }
                        None => {}
                    }
                    " · " (format!("{:.1}", r.took_ms)) " مللي ثانية"
                    span.exports {
                        a href=(format!("/export.csv?{}", p.to_query_string())) { "CSV" }
                        a href=(format!("/export.json?{}", p.to_query_string())) { "JSON" }
                    }
                }
                @if !r.notes.is_empty() {
                    ul.notes { @for note in &r.notes { li dir="auto" { (note) } } }
                }
                @if r.hits.is_empty() {
                    p.empty { "لا نتائج." }
                }
                ol.hits start=(p.request.offset + 1) {
                    @for hit in &r.hits { (hit_item(hit, p, &data.group_names)) }
                }
                (pager(p, r))
            }
            (side_panel(data))
        }
    };
    layout(title, &p.request.query, body)
}

/// A text with its highlights as `<mark>`, on the text as written. Ranges that overlap
/// or do not fall on character boundaries are skipped.
pub fn marked(text: &str, highlights: &[(usize, usize)]) -> Markup {
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    let mut at = 0;
    for &(start, end) in highlights {
        if start < at {
            continue;
        }
        if let (Some(before), Some(word)) = (text.get(at..start), text.get(start..end)) {
            pieces.push((before, false));
            pieces.push((word, true));
            at = end;
        }
    }
    pieces.push((text.get(at..).unwrap_or(""), false));
    html! {
        @for (piece, on) in pieces {
            @if on { mark { (piece) } } @else { (piece) }
        }
    }
}

pub fn article_href(id: &str, query: &str) -> String {
    let mut href = format!("/article/{}", percent(id));
    if !query.trim().is_empty() {
        href.push('?');
        href.push_str(&serde_urlencoded::to_string([("q", query)]).unwrap_or_default());
    }
    href
}

/// Percent-encodes an article id for a path (an id may hold `/`, `#`, `?`, spaces).
pub fn percent(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn group_chips(groups: &[String], names: &BTreeMap<String, String>) -> Markup {
    html! {
        @for g in groups {
            a.chip href=(format!("/search?about={}", percent(g))) { (names.get(g).map_or(g.as_str(), String::as_str)) }
        }
    }
}

fn hit_item(hit: &Hit, p: &SearchParams, names: &BTreeMap<String, String>) -> Markup {
    let href = article_href(&hit.doc_id, &p.request.query);
    html! {
        li.hit {
            h2 { a href=(format!("{href}#p{}", hit.passage)) dir="auto" { (hit.title.as_deref().unwrap_or(&hit.doc_id)) } }
            p.meta {
                @if let Some(o) = &hit.outlet { span.outlet { (o) } }
                @if let Some(d) = &hit.published { " · " time datetime=(d) { (d) } }
                (group_chips(&hit.groups, names))
            }
            p.snippet dir="auto" {
                @match &hit.snippet_parts {
                    Some(s) => {
                        @if s.cut_before { "… " }
                        (marked(&s.text, &s.highlights))
                        @if s.cut_after { " …" }
                    }
                    None => (hit.snippet)
                }
            }
            @if hit.more_passages > 0 {
                p.more { a href=(href) { "+" (hit.more_passages) " فقرات أخرى في هذه المقالة" } }
            }
        }
    }
}

fn pager(p: &SearchParams, r: &SearchResponse) -> Markup {
    let total = r.total.unwrap_or(0) as usize;
    let (offset, limit) = (p.request.offset, p.request.limit.max(1));
    let at = |offset: usize| {
        let mut q = p.clone();
        q.request.offset = offset;
        format!("/search?{}", q.to_query_string())
    };
    html! {
        nav.pager {
            @if offset > 0 { a rel="prev" href=(at(offset.saturating_sub(limit))) { "→ السابق" } }
            @if offset + limit < total && offset + limit < super::params::MAX_WINDOW {
                a rel="next" href=(at(offset + limit)) { "التالي ←" }
            }
        }
    }
}

fn facet_list(
    entries: Vec<(String, String, u64)>,
    selected: &[String],
    toggle: &dyn Fn(&str) -> String,
    class: &str,
) -> Markup {
    html! {
        ul class=(format!("facet {class}")) {
            @for (value, label, n) in entries {
                @let on = selected.iter().any(|s| s.eq_ignore_ascii_case(&value));
                li class=(if on { "on" } else { "" }) {
                    a href=(toggle(&value)) aria-pressed=(on) data-value=(value) {
                        span.box { (if on { "☑" } else { "☐" }) }
                        span.label dir="auto" { (label) }
                        span.count { (n) }
                    }
                }
            }
        }
    }
}

fn side_panel(data: &PageData) -> Markup {
    let p = &data.params;
    let r = &data.response;
    let mut outlets: Vec<(String, String, u64)> = data
        .outlets
        .iter()
        .map(|(k, v)| (k.clone(), k.clone(), *v))
        .collect();
    // Chosen outlets stay listed (and can be removed) even with no match.
    for o in &p.request.outlets {
        if !outlets.iter().any(|(k, _, _)| k.eq_ignore_ascii_case(o)) {
            outlets.push((o.clone(), o.clone(), 0));
        }
    }
    outlets.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    let groups: Vec<(String, String, u64)> = r
        .facets
        .group
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                data.group_names
                    .get(k)
                    .cloned()
                    .unwrap_or_else(|| k.clone()),
                *v,
            )
        })
        .collect();
    let toggle_outlet = |value: &str| with(p, |q| toggle(&mut q.request.outlets, value));
    let toggle_group = |value: &str| with(p, |q| toggle(&mut q.request.about, value));
    let series: Vec<Series> = data
        .series
        .iter()
        .enumerate()
        .map(|(i, (name, counts))| Series {
            name: name.clone(),
            colour: if i == 0 {
                timeline::NEUTRAL
            } else {
                timeline::COLOURS[(i - 1) % timeline::COLOURS.len()]
            },
            counts,
        })
        .collect();
    let month_link = |y: i32, m: u32| {
        with(p, |q| {
            q.request.from = crate::ingest::record::Date::parse(&format!("{y:04}-{m:02}-01"));
            q.request.to = crate::ingest::record::Date::parse(&format!(
                "{y:04}-{m:02}-{:02}",
                timeline::last_day(y, m)
            ));
        })
    };
    html! {
        aside.side {
            section {
                h3 { "الزمن" }
                (timeline::chart(&series, &month_link))
                form.dates action="/search" method="get" {
                    (hidden_state(p, &["from", "to", "sort"]))
                    label { "من " input type="date" name="from" value=(p.request.from.map(|d| d.to_string()).unwrap_or_default()); }
                    label { "إلى " input type="date" name="to" value=(p.request.to.map(|d| d.to_string()).unwrap_or_default()); }
                    label { "الترتيب "
                        select name="sort" {
                            @for (value, label) in [(Sort::Relevance, "الأكثر صلة"), (Sort::Newest, "الأحدث"), (Sort::Oldest, "الأقدم")] {
                                option value=(value.as_str()) selected[p.request.sort == value] { (label) }
                            }
                        }
                    }
                    button type="submit" { "تطبيق" }
                    @if p.request.from.is_some() || p.request.to.is_some() {
                        a.clear href=(with(p, |q| { q.request.from = None; q.request.to = None; })) { "كل التواريخ" }
                    }
                }
            }
            section {
                h3 { "المصادر" }
                (facet_list(outlets, &p.request.outlets, &toggle_outlet, "outlets"))
            }
            @if !groups.is_empty() || !p.request.about.is_empty() {
                section {
                    h3 { "المجموعات" }
                    (facet_list(groups, &p.request.about, &toggle_group, "groups"))
                }
            }
        }
    }
}

fn toggle(list: &mut Vec<String>, value: &str) {
    if let Some(i) = list.iter().position(|v| v.eq_ignore_ascii_case(value)) {
        list.remove(i);
    } else {
        list.push(value.to_string());
    }
}

/// Hidden inputs carrying the current state, except the named parameters (which the
/// form itself sets).
fn hidden_state(p: &SearchParams, except: &[&str]) -> Markup {
    let qs = p.to_query_string();
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&qs).unwrap_or_default();
    html! {
        @for (name, value) in pairs {
            @if !except.contains(&name.as_str()) && name != "offset" {
                input type="hidden" name=(name) value=(value);
            }
        }
    }
}
