//! The JSON API (`/api/v1/…`) and the operational endpoints (`/healthz`, `/readyz`,
//! `/metrics`). The OpenAPI document (`/api/v1/openapi.json`) describes all of them.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use super::live::Loaded;
use super::params::{pairs, shown, SearchParams};
use super::{adapter, blocking, ApiError, Shared};
use crate::index::IndexError;
use crate::search::{SearchError, SearchResponse};

/// The OpenAPI 3.1 document of the API.
pub const OPENAPI: &str = include_str!("assets/openapi.json");

/// Longest text `/api/v1/analyze` takes, in bytes.
pub const MAX_ANALYZE_BYTES: usize = 100_000;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/v1/search", get(search))
        .route("/api/v1/articles", get(articles_index).post(write))
        .route("/api/v1/articles/{*id}", get(article))
        .route("/api/v1/groups", get(groups))
        .route("/api/v1/stats", get(stats))
        .route("/api/v1/analyze", get(analyze))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

/// The generation a request is served from.
pub fn loaded(state: &Shared) -> Result<Arc<Loaded>, ApiError> {
    state
        .live
        .current()
        .map_err(|reason| ApiError::unavailable(&reason))
}

/// Runs a search (on the calling thread: call it inside [`super::pool::SearchPool::run`]).
pub fn run_search(loaded: &Loaded, params: &SearchParams) -> Result<SearchResponse, ApiError> {
    match loaded.engine.search(&params.request) {
        Ok(response) => Ok(response),
        Err(e @ SearchError::EmptyQuery(_)) => Err(ApiError::bad_request(
            e.to_string()
                .replace("--outlet/--about/--from/--to", "outlet/about/from/to"),
        )),
        Err(e) => Err(ApiError::internal(e)),
    }
}

/// Only the named parameters; anything else is a 400.
fn only(raw: Option<&str>, known: &[&str]) -> Result<Vec<(String, String)>, ApiError> {
    let pairs = pairs(raw)?;
    if let Some((name, _)) = pairs.iter().find(|(n, _)| !known.contains(&n.as_str())) {
        return Err(ApiError::bad_request(format!(
            "unknown parameter `{}` (known: {})",
            shown(name),
            known.join(", ")
        )));
    }
    Ok(pairs)
}

fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

async fn search(
    State(state): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = SearchParams::parse(&pairs(raw.as_deref())?, false)?;
    let loaded = loaded(&state)?;
    let response = state
        .searches
        .run(move || run_search(&loaded, &params))
        .await?;
    Ok(Json(response).into_response())
}

async fn article(
    State(state): State<Shared>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = only(raw.as_deref(), &["q"])?;
    let query = value(&pairs, "q").map(str::to_string);
    let loaded = loaded(&state)?;
    let settings = state.live.config().stories.clone();
    let view = state
        .searches
        .run(move || {
            super::page::story::article_with_story(&loaded.engine, &settings, &id, query.as_deref())
        })
        .await?;
    Ok(Json(view).into_response())
}

async fn articles_index() -> ApiError {
    ApiError::bad_request(
        "GET an article by its id (/api/v1/articles/{id}); search with /api/v1/search; \
         POST a JSON Lines batch here to index it",
    )
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// Compares two tokens in time that depends only on their lengths.
fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

async fn write(
    State(state): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Some(expected) = state.write_token.clone() else {
        return Err(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "the write API is off: start the server with --write-token-file FILE",
        ));
    };
    match bearer(&headers) {
        Some(token) if same_token(token, &expected) => {}
        given => {
            state.metrics.unauthorized();
            tracing::warn!(
                token_given = given.is_some(),
                "write refused: wrong or missing bearer token"
            );
            let mut response = ApiError::new(
                StatusCode::UNAUTHORIZED,
                "a write needs `Authorization: Bearer <token>` with the server's token",
            )
            .into_response();
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
            return Ok(response);
        }
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(
            "the body is empty: send JSON Lines, one record per line",
        ));
    }
    let live = state.live.clone();
    let result = blocking(move || {
        let engine = live.current().ok();
        let result = adapter::write_batch(
            live.root(),
            live.config(),
            engine.as_ref().map(|l| &l.engine),
            &body,
        );
        let result = result.map_err(|e| match e.downcast_ref::<IndexError>() {
            Some(locked @ IndexError::Locked(_)) => {
                ApiError::new(StatusCode::CONFLICT, locked.to_string())
            }
            _ => ApiError::internal(format!("{e:#}")),
        })?;
        // The next request sees the commit.
        live.refresh();
        Ok(result)
    })
    .await?;
    Ok(Json(result).into_response())
}

async fn groups(
    State(state): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    only(raw.as_deref(), &[])?;
    let loaded = loaded(&state)?;
    let config = state.live.config().clone();
    let report = blocking(move || {
        loaded
            .groups(&config)
            .map(<[_]>::to_vec)
            .map_err(ApiError::internal)
    })
    .await?;
    Ok(Json(report).into_response())
}

async fn stats(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    only(raw.as_deref(), &[])?;
    Ok(Json(loaded(&state)?.stats.clone()).into_response())
}

async fn analyze(
    State(state): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = only(raw.as_deref(), &["text", "analyzer"])?;
    let text = value(&pairs, "text")
        .ok_or_else(|| ApiError::bad_request("parameter `text` is required"))?
        .to_string();
    if text.len() > MAX_ANALYZE_BYTES {
        return Err(ApiError::bad_request(format!(
            "parameter `text`: longer than {MAX_ANALYZE_BYTES} bytes"
        )));
    }
    let analyzer = value(&pairs, "analyzer").unwrap_or("arabic").to_string();
    let config = state.live.config().clone();
    let tokens = blocking(move || {
        adapter::analyze(&config, &analyzer, &text).map_err(ApiError::bad_request)
    })
    .await?;
    Ok(Json(tokens).into_response())
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

#[derive(Serialize)]
struct Ready {
    status: &'static str,
    generation: String,
    articles: u64,
    passages: u64,
}

async fn healthz() -> Response {
    Json(serde_json::json!({"status": "ok"})).into_response()
}

async fn readyz(State(state): State<Shared>) -> Result<Response, ApiError> {
    let loaded = loaded(&state)?;
    Ok(Json(Ready {
        status: "ready",
        generation: loaded.generation.clone(),
        articles: loaded.stats.articles,
        passages: loaded.stats.passages,
    })
    .into_response())
}

async fn metrics(State(state): State<Shared>) -> Response {
    let text = state.metrics.render(&state.live, state.started.elapsed());
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_tokens() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer(&h), None);
        h.insert(header::AUTHORIZATION, "Bearer s3cret".parse().unwrap());
        assert_eq!(bearer(&h), Some("s3cret"));
        h.insert(header::AUTHORIZATION, "Basic s3cret".parse().unwrap());
        assert_eq!(bearer(&h), None);
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "abcd"));
    }

    #[test]
    fn the_openapi_document_is_json_and_names_every_route() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).unwrap();
        let paths = doc["paths"].as_object().unwrap();
        for path in [
            "/api/v1/search",
            "/api/v1/articles",
            "/api/v1/articles/{id}",
            "/api/v1/groups",
            "/api/v1/stats",
            "/api/v1/analyze",
            "/healthz",
            "/readyz",
            "/metrics",
        ] {
            assert!(paths.contains_key(path), "{path}");
        }
    }
}
