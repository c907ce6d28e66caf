//! `/metrics` in the Prometheus text exposition format: requests by route and status,
//! a latency histogram, and what the live index holds.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::{Duration, UNIX_EPOCH};

use super::live::LiveIndex;

/// Upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, u16), u64>,
    /// Cumulative counts per bucket, then +Inf.
    buckets: Vec<u64>,
    sum_seconds: f64,
    count: u64,
    unauthorized: u64,
}

/// The server's counters.
#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    /// Records one finished request.
    pub fn observe(&self, route: &str, status: u16, took: Duration) {
        let mut m = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if m.buckets.is_empty() {
            m.buckets = vec![0; BUCKETS.len() + 1];
        }
        *m.requests.entry((route.to_string(), status)).or_insert(0) += 1;
        let seconds = took.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                m.buckets[i] += 1;
            }
        }
        let last = BUCKETS.len();
        m.buckets[last] += 1;
        m.sum_seconds += seconds;
        m.count += 1;
    }

    /// Counts a write refused for a wrong token.
    pub fn unauthorized(&self) {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .unauthorized += 1;
    }

    /// The exposition text.
    pub fn render(&self, live: &LiveIndex, uptime: Duration) -> String {
        let m = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP akhbar_http_requests_total HTTP requests by route and status.\n\
             # TYPE akhbar_http_requests_total counter"
        );
        for ((route, status), n) in &m.requests {
            let _ = writeln!(
                out,
                "akhbar_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
                escape_label(route)
            );
        }
        let _ = writeln!(
            out,
            "# HELP akhbar_http_request_duration_seconds Time to answer a request.\n\
             # TYPE akhbar_http_request_duration_seconds histogram"
        );
        for (i, bound) in BUCKETS.iter().enumerate() {
            let n = m.buckets.get(i).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "akhbar_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "akhbar_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n\
             akhbar_http_request_duration_seconds_sum {}\n\
             akhbar_http_request_duration_seconds_count {}",
            m.count, m.sum_seconds, m.count
        );
        let _ = writeln!(
            out,
            "# HELP akhbar_write_unauthorized_total Write requests refused for a wrong token.\n\
             # TYPE akhbar_write_unauthorized_total counter\n\
             akhbar_write_unauthorized_total {}",
            m.unauthorized
        );
        drop(m);
        index_metrics(&mut out, live);
        let _ = writeln!(
            out,
            "# HELP akhbar_uptime_seconds Seconds since the server started.\n\
             # TYPE akhbar_uptime_seconds gauge\n\
             akhbar_uptime_seconds {:.3}",
            uptime.as_secs_f64()
        );
        out
    }
}

fn index_metrics(out: &mut String, live: &LiveIndex) {
    let loaded = live.current().ok();
    let gauge = |out: &mut String, name: &str, help: &str, value: String| {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
        );
    };
    gauge(
        out,
        "akhbar_index_up",
        "1 when the index is open and searchable.",
        u8::from(loaded.is_some()).to_string(),
    );
    let _ = writeln!(
        out,
        "# HELP akhbar_index_reloads_total Generations or commits opened.\n\
         # TYPE akhbar_index_reloads_total counter\n\
         akhbar_index_reloads_total {}",
        live.reloads()
    );
    let Some(loaded) = loaded else {
        return;
    };
    gauge(
        out,
        "akhbar_index_articles",
        "Articles in the live index.",
        loaded.stats.articles.to_string(),
    );
    gauge(
        out,
        "akhbar_index_passages",
        "Passages in the live index.",
        loaded.stats.passages.to_string(),
    );
    let generation = loaded
        .generation
        .trim_start_matches("gen-")
        .parse::<u64>()
        .unwrap_or(0);
    gauge(
        out,
        "akhbar_index_generation",
        "Number of the live generation (gen-NNNNNN).",
        generation.to_string(),
    );
    if let Some(t) = loaded
        .commit_time
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
    {
        gauge(
            out,
            "akhbar_index_last_commit_timestamp_seconds",
            "When the live generation's last commit was written (Unix time).",
            format!("{:.3}", t.as_secs_f64()),
        );
    }
}

fn escape_label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_is_cumulative() {
        let m = Metrics::default();
        m.observe("/api/v1/search", 200, Duration::from_millis(3));
        m.observe("/api/v1/search", 400, Duration::from_millis(30));
        let tmp = tempfile::tempdir().unwrap();
        let live = LiveIndex::new(tmp.path(), crate::config::Config::builtin());
        let text = m.render(&live, Duration::from_secs(1));
        assert!(
            text.contains("akhbar_http_requests_total{route=\"/api/v1/search\",status=\"200\"} 1")
        );
        assert!(
            text.contains("akhbar_http_requests_total{route=\"/api/v1/search\",status=\"400\"} 1")
        );
        assert!(text.contains("akhbar_http_request_duration_seconds_bucket{le=\"0.0025\"} 0"));
        assert!(text.contains("akhbar_http_request_duration_seconds_bucket{le=\"0.005\"} 1"));
        assert!(text.contains("akhbar_http_request_duration_seconds_bucket{le=\"0.05\"} 2"));
        assert!(text.contains("akhbar_http_request_duration_seconds_count 2"));
        assert!(text.contains("akhbar_index_up 0"));
    }
}
