//! `akhbar serve`: the search page and the JSON API over a live index.
//!
//! tokio + axum; tower-http for compression, request timeouts, body limits, panics and
//! tracing. Every search goes through [`crate::search::Engine::search`] on a blocking
//! thread, from the one [`live::Loaded`] generation the request started with.
//! - [`live`]: follows the index directory (commits, generation switches);
//! - [`params`]: query-string parameters, strictly checked (400 with the reason);
//! - [`api`]: `/api/v1/…`, `/healthz`, `/readyz`, `/metrics`;
//! - [`page`]: the server-rendered HTML page (maud, escaped), [`timeline`] its SVG;
//! - [`adapter`]: the few library internals the server uses beside `Engine::search`;
//! - [`pool`]: the search workers (one per core, one queue in arrival order).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::config::Config;

pub mod adapter;
pub mod api;
pub mod live;
pub mod metrics;
pub mod page;
pub mod params;
pub mod pool;
pub mod timeline;

/// Largest request body (a write batch), in bytes.
pub const MAX_BODY_BYTES: usize = 64 << 20;

/// The Content-Security-Policy of every response: only the server's own script and
/// style files run or apply; nothing inline, nothing from elsewhere.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; \
    frame-ancestors 'none'";

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub index: PathBuf,
    pub listen: SocketAddr,
    /// The bearer token of the write API; `None`: the write API is off (405).
    pub write_token: Option<String>,
    /// How often the index directory is looked at.
    pub follow_every: Duration,
    /// The longest a request may take (503 after it).
    pub request_timeout: Duration,
}

impl ServeOptions {
    pub fn new(index: PathBuf, listen: SocketAddr) -> ServeOptions {
        ServeOptions {
            index,
            listen,
            write_token: None,
            follow_every: Duration::from_secs(1),
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// What every handler shares.
pub struct AppState {
    pub live: Arc<live::LiveIndex>,
    pub write_token: Option<String>,
    pub metrics: metrics::Metrics,
    pub started: Instant,
    /// Where searches run ([`pool`]: one worker per core, first come first served).
    pub searches: pool::SearchPool,
}

pub type Shared = Arc<AppState>;

/// An API error: a status and a message, as `{"error": {"status", "message"}}`.
#[derive(Clone, Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }
    pub fn unavailable(reason: &str) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the index cannot be searched right now: {reason}"),
        )
    }
    pub fn internal(err: impl std::fmt::Display) -> ApiError {
        tracing::error!("internal error: {err}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("internal error: {err}"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": { "status": self.status.as_u16(), "message": self.message }
        });
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// Runs blocking library work (a write, a report) off the async threads; searches run on
/// [`AppState::searches`].
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::internal(format!("the request's worker stopped: {e}")))?
}

/// Counts each request by route and status, and its latency.
async fn record(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let started = Instant::now();
    let response = next.run(request).await;
    state
        .metrics
        .observe(&route, response.status().as_u16(), started.elapsed());
    response
}

/// The whole application: routes and middleware.
pub fn router(state: Shared, request_timeout: Duration) -> Router {
    let header = |name, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    Router::new()
        .merge(api::routes())
        .merge(page::routes())
        .fallback(get(page::not_found))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), record))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            request_timeout,
        ))
        .layer(CompressionLayer::new())
        .layer(header(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(CatchPanicLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("AKHBAR_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("akhbar=info,tower_http=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Serves until interrupted (Ctrl-C or SIGTERM). `announce` is called with the bound
/// address once the server accepts connections.
pub fn serve(
    config: Config,
    opts: ServeOptions,
    announce: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    init_tracing();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("akhbar-serve")
        .build()?;
    runtime.block_on(async move {
        let live = Arc::new(live::LiveIndex::new(&opts.index, config));
        live.follow(opts.follow_every);
        if let Err(reason) = live.current() {
            tracing::warn!("{reason}: serving 503 until an index appears");
        }
        let state = Arc::new(AppState {
            live,
            write_token: opts.write_token.clone(),
            metrics: metrics::Metrics::default(),
            started: Instant::now(),
            searches: pool::SearchPool::per_core()
                .map_err(|e| anyhow::anyhow!("cannot start the search workers: {e}"))?,
        });
        let listener = tokio::net::TcpListener::bind(opts.listen)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", opts.listen))?;
        announce(listener.local_addr()?);
        axum::serve(listener, router(state, opts.request_timeout))
            .with_graceful_shutdown(shutdown())
            .await?;
        Ok(())
    })
}

async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
}
