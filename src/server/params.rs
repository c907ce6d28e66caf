//! Query-string parameters: parsed strictly, each bad value a 400 that says which and why.
//!
//! The same parameters drive the JSON API (`/api/v1/search`), the page (`/search`) and
//! the exports, so a page URL and its API URL say the same thing.

use crate::ingest::record::Date;
use crate::search::{MatchMode, SearchRequest, Sort};

use super::ApiError;

/// Longest query accepted, in characters (a query is cut to 64 words anyway).
pub const MAX_QUERY_CHARS: usize = 2_000;
/// Most results per page.
pub const MAX_LIMIT: usize = 1_000;
/// Deepest result reachable (`offset + limit`), like Elasticsearch's result window.
pub const MAX_WINDOW: usize = 10_000;
/// Most outlet or group filters in one request.
pub const MAX_FILTERS: usize = 50;

/// The parameters of a search.
#[derive(Clone, Debug)]
pub struct SearchParams {
    pub request: SearchRequest,
}

/// Splits a raw query string into decoded (name, value) pairs.
pub fn pairs(raw: Option<&str>) -> Result<Vec<(String, String)>, ApiError> {
    let mut out = Vec::new();
    for part in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        out.push((form_decode(key)?, form_decode(value)?));
    }
    Ok(out)
}

/// One `application/x-www-form-urlencoded` component: `+` is a space, `%XX` a byte;
/// the bytes must be UTF-8 (a lossy decoding would search for U+FFFD).
fn form_decode(component: &str) -> Result<String, ApiError> {
    let bytes = component.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => decoded.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(byte) => {
                        decoded.push(byte);
                        i += 2;
                    }
                    None => decoded.push(b'%'),
                }
            }
            byte => decoded.push(byte),
        }
        i += 1;
    }
    String::from_utf8(decoded).map_err(|_| {
        ApiError::bad_request(format!(
            "cannot read the query string: `{}` is not UTF-8 once decoded",
            shown(component)
        ))
    })
}

fn parse_bool(name: &str, value: &str) -> Result<bool, ApiError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(ApiError::bad_request(format!(
            "parameter `{name}`: `{}` is not true or false",
            shown(value)
        ))),
    }
}

fn parse_count(name: &str, value: &str, max: usize) -> Result<usize, ApiError> {
    let n: usize = value.trim().parse().map_err(|_| {
        ApiError::bad_request(format!(
            "parameter `{name}`: `{}` is not a whole number from 0 to {max}",
            shown(value)
        ))
    })?;
    if n > max {
        return Err(ApiError::bad_request(format!(
            "parameter `{name}`: {n} is more than {max}"
        )));
    }
    Ok(n)
}

fn parse_date(name: &str, value: &str) -> Result<Option<Date>, ApiError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    Date::parse(value).map(Some).ok_or_else(|| {
        ApiError::bad_request(format!(
            "parameter `{name}`: `{}` is not a date (YYYY-MM-DD)",
            shown(value)
        ))
    })
}

/// A value as an error quotes it: at most 40 characters.
pub fn shown(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_string(),
    }
}

/// What a search's parameters may be named, for the error listing them.
pub const SEARCH_PARAMS: &[&str] = &[
    "q",
    "outlet",
    "about",
    "from",
    "to",
    "sort",
    "limit",
    "offset",
    "all_passages",
    "explain",
    "match",
    "expand",
];

impl SearchParams {
    /// Parses a search's parameters; `lenient` ignores unknown names (the page, whose
    /// URLs may carry others) instead of rejecting them (the API).
    pub fn parse(pairs: &[(String, String)], lenient: bool) -> Result<SearchParams, ApiError> {
        let mut request = SearchRequest::new("");
        for (name, value) in pairs {
            match name.as_str() {
                "q" => {
                    if value.chars().count() > MAX_QUERY_CHARS {
                        return Err(ApiError::bad_request(format!(
                            "parameter `q`: the query is longer than {MAX_QUERY_CHARS} characters"
                        )));
                    }
                    request.query = value.clone();
                }
                "outlet" | "about" => {
                    let list = if name == "outlet" {
                        &mut request.outlets
                    } else {
                        &mut request.about
                    };
                    if !value.trim().is_empty() {
                        list.push(value.trim().to_string());
                    }
                    if list.len() > MAX_FILTERS {
                        return Err(ApiError::bad_request(format!(
                            "parameter `{name}`: more than {MAX_FILTERS} values"
                        )));
                    }
                }
                "from" => request.from = parse_date(name, value)?,
                "to" => request.to = parse_date(name, value)?,
                "sort" => request.sort = parse_sort(value)?,
                "limit" => request.limit = parse_count(name, value, MAX_LIMIT)?,
                "offset" => request.offset = parse_count(name, value, MAX_WINDOW)?,
                "all_passages" => request.all_passages = parse_bool(name, value)?,
                "explain" => request.explain = parse_bool(name, value)?,
                "expand" => request.expand = parse_bool(name, value)?,
                "match" => request.match_mode = parse_match(value)?,
                _ if lenient => {}
                _ => {
                    return Err(ApiError::bad_request(format!(
                        "unknown parameter `{}` (known: {})",
                        shown(name),
                        SEARCH_PARAMS.join(", ")
                    )))
                }
            }
        }
        if let (Some(from), Some(to)) = (request.from, request.to) {
            if from > to {
                return Err(ApiError::bad_request(format!(
                    "parameter `from` ({from}) is after `to` ({to})"
                )));
            }
        }
        if request.offset + request.limit > MAX_WINDOW {
            return Err(ApiError::bad_request(format!(
                "offset + limit is {}: at most {MAX_WINDOW} results can be paged through",
                request.offset + request.limit
            )));
        }
        Ok(SearchParams { request })
    }

    /// The query string that gives these parameters back (every state is a URL).
    pub fn to_query_string(&self) -> String {
        let r = &self.request;
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !r.query.is_empty() {
            pairs.push(("q", r.query.clone()));
        }
        pairs.extend(r.outlets.iter().map(|o| ("outlet", o.clone())));
        pairs.extend(r.about.iter().map(|a| ("about", a.clone())));
        if let Some(d) = r.from {
            pairs.push(("from", d.to_string()));
        }
        if let Some(d) = r.to {
            pairs.push(("to", d.to_string()));
        }
        if r.sort != Sort::Relevance {
            pairs.push(("sort", r.sort.as_str().to_string()));
        }
        if r.limit != SearchRequest::new("").limit {
            pairs.push(("limit", r.limit.to_string()));
        }
        if r.offset != 0 {
            pairs.push(("offset", r.offset.to_string()));
        }
        if r.all_passages {
            pairs.push(("all_passages", "true".into()));
        }
        if !r.expand {
            pairs.push(("expand", "false".into()));
        }
        match r.match_mode {
            MatchMode::Auto => {}
            MatchMode::Any => pairs.push(("match", "any".into())),
            MatchMode::All => pairs.push(("match", "all".into())),
        }
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }
}

pub fn parse_sort(value: &str) -> Result<Sort, ApiError> {
    Sort::parse(value.trim()).ok_or_else(|| {
        ApiError::bad_request(format!(
            "parameter `sort`: `{}` is not relevance, newest or oldest",
            shown(value)
        ))
    })
}

fn parse_match(value: &str) -> Result<MatchMode, ApiError> {
    match value.trim() {
        "auto" | "" => Ok(MatchMode::Auto),
        "any" => Ok(MatchMode::Any),
        "all" => Ok(MatchMode::All),
        other => Err(ApiError::bad_request(format!(
            "parameter `match`: `{}` is not auto, any or all",
            shown(other)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(qs: &str) -> Result<SearchParams, ApiError> {
        SearchParams::parse(&pairs(Some(qs)).unwrap(), false)
    }

    fn message(qs: &str) -> String {
        match parse(qs) {
            Ok(_) => panic!("{qs:?} should be rejected"),
            Err(e) => e.message,
        }
    }

    #[test]
    fn good_parameters() {
        let p = parse("q=%D9%81%D8%A7%D8%BA%D9%86%D8%B1&outlet=BBC&outlet=CNN&from=2024-07-01&to=&sort=newest&limit=20&offset=20&all_passages=1").unwrap();
        let r = &p.request;
        assert_eq!(r.query, "فاغنر");
        assert_eq!(r.outlets, vec!["BBC", "CNN"]);
        assert_eq!(r.from.map(|d| d.to_string()).as_deref(), Some("2024-07-01"));
        assert_eq!(r.to, None);
        assert_eq!(r.sort, Sort::Newest);
        assert_eq!((r.limit, r.offset, r.all_passages), (20, 20, true));
        assert_eq!(
            p.to_query_string(),
            "q=%D9%81%D8%A7%D8%BA%D9%86%D8%B1&outlet=BBC&outlet=CNN&from=2024-07-01&sort=newest&limit=20&offset=20&all_passages=true"
        );
    }

    #[test]
    fn bad_parameters_say_which() {
        assert_eq!(
            message("limit=-1"),
            "parameter `limit`: `-1` is not a whole number from 0 to 1000"
        );
        assert_eq!(
            message("limit=1001"),
            "parameter `limit`: 1001 is more than 1000"
        );
        assert_eq!(
            message("from=2024-13-40"),
            "parameter `from`: `2024-13-40` is not a date (YYYY-MM-DD)"
        );
        assert_eq!(
            message("sort=x"),
            "parameter `sort`: `x` is not relevance, newest or oldest"
        );
        assert_eq!(
            message("explain=maybe"),
            "parameter `explain`: `maybe` is not true or false"
        );
        assert!(message("colour=red").starts_with("unknown parameter `colour`"));
        assert!(message("offset=9999&limit=10").starts_with("offset + limit is 10009"));
        assert!(message("from=2024-02-01&to=2024-01-01").contains("is after"));
        let long = format!("q={}", "ا".repeat(MAX_QUERY_CHARS + 1));
        assert!(message(&long).contains("longer than 2000"));
        // The page ignores names it does not know.
        assert!(SearchParams::parse(&pairs(Some("utm=x")).unwrap(), true).is_ok());
    }
}
