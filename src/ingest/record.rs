//! The input record: `{"id","outlet","title","published","url","category","body"}`, one
//! JSON object per line. Unknown fields are ignored and counted; a record without `id`
//! or `body` is rejected.

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

/// Bodies longer than this are rejected (a scraped page is far smaller; anything bigger
/// is a crawler accident and would make one giant article).
pub const MAX_BODY_BYTES: usize = 8 << 20;

/// Seconds in a day (UTC days: no leap seconds).
pub const SECONDS_PER_DAY: i64 = 86_400;

/// A calendar date (`published`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking month and day.
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |s: &str| -> Option<u32> {
            if s.bytes().all(|c| c.is_ascii_digit()) {
                s.parse().ok()
            } else {
                None
            }
        };
        let year = num(&text[0..4])? as i32;
        let month = num(&text[5..7])?;
        let day = num(&text[8..10])?;
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        if day == 0 || day > days_in_month {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (proleptic Gregorian; Howard Hinnant's algorithm).
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Seconds since 1970-01-01T00:00:00Z at the start of the day (how the index stores
    /// `published`).
    pub fn timestamp_secs(self) -> i64 {
        self.days_since_epoch() * SECONDS_PER_DAY
    }

    /// The day a timestamp (seconds since 1970-01-01T00:00:00Z) falls on.
    pub fn from_timestamp_secs(secs: i64) -> Date {
        Date::from_days_since_epoch(secs.div_euclid(SECONDS_PER_DAY))
    }

    /// The date of a day count since 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A date is written `YYYY-MM-DD` in JSON (search requests, reports).
impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(text.trim())
            .ok_or_else(|| de::Error::custom(format!("`{text}` is not a date: use YYYY-MM-DD")))
    }
}

/// One article as it arrives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub id: String,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub published: Option<Date>,
    pub url: Option<String>,
    pub category: Option<String>,
    /// Raw article text, paragraphs separated by newlines.
    pub body: String,
    /// How many fields the record had that akhbar does not know (ignored).
    pub unknown_fields: u32,
}

impl Record {
    /// Parses and checks one JSON line. The error is a one-line reason.
    pub fn from_json(line: &str) -> Result<Record, String> {
        let raw: RawRecord = serde_json::from_str(line).map_err(|e| {
            let msg = e.to_string();
            format!("malformed JSON: {msg}")
        })?;
        raw.check()
    }

    /// A hash of everything the index depends on: changing any field changes it.
    pub fn content_hash(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        let mut put = |s: Option<&str>| {
            match s {
                Some(s) => {
                    h.update(&[1]);
                    h.update(&(s.len() as u64).to_le_bytes());
                    h.update(s.as_bytes());
                }
                None => h.update(&[0]),
            };
        };
        put(Some(&self.id));
        put(self.outlet.as_deref());
        put(self.title.as_deref());
        put(self.published.map(|d| d.to_string()).as_deref());
        put(self.url.as_deref());
        put(self.category.as_deref());
        put(Some(&self.body));
        h.digest()
    }
}

/// The fields as found, before the checks.
#[derive(Default, Debug)]
pub struct RawRecord {
    pub id: Option<String>,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub category: Option<String>,
    pub body: Option<String>,
    pub unknown_fields: u32,
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

impl RawRecord {
    /// Applies the record rules: id and body required, sizes bounded, a valid date.
    pub fn check(self) -> Result<Record, String> {
        let id = match self.id.as_deref().map(str::trim) {
            None => return Err("record has no `id`".into()),
            Some("") => return Err("record has an empty `id`".into()),
            Some(id) if id.len() > 512 => {
                return Err(format!("`id` is {} bytes long (limit 512)", id.len()))
            }
            Some(id) if id.chars().any(char::is_control) => {
                return Err("`id` contains control characters".into())
            }
            Some(id) => id.to_string(),
        };
        let body = match self.body {
            None => return Err(format!("record `{id}` has no `body`")),
            Some(b) if b.trim().is_empty() => {
                return Err(format!("record `{id}` has an empty `body`"))
            }
            Some(b) if b.len() > MAX_BODY_BYTES => {
                return Err(format!(
                    "record `{id}`: body is {} bytes (limit {} bytes)",
                    b.len(),
                    MAX_BODY_BYTES
                ))
            }
            Some(b) => b,
        };
        let published = match non_empty(self.published) {
            None => None,
            Some(p) => match Date::parse(&p) {
                Some(d) => Some(d),
                None => {
                    return Err(format!(
                        "record `{id}`: `published` is {p:?}, not a YYYY-MM-DD date or null"
                    ))
                }
            },
        };
        Ok(Record {
            id,
            outlet: non_empty(self.outlet),
            title: non_empty(self.title),
            published,
            url: non_empty(self.url),
            category: non_empty(self.category),
            body,
            unknown_fields: self.unknown_fields,
        })
    }
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum Key {
    Id,
    Outlet,
    Title,
    Published,
    Url,
    Category,
    Body,
    #[serde(other)]
    Other,
}

impl<'de> Deserialize<'de> for RawRecord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RecordVisitor;
        impl<'de> Visitor<'de> for RecordVisitor {
            type Value = RawRecord;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object (one record)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawRecord, A::Error> {
                let mut r = RawRecord::default();
                while let Some(key) = map.next_key::<Key>()? {
                    let slot = match key {
                        Key::Id => {
                            r.id = map.next_value::<Option<IdValue>>()?.map(|v| v.0);
                            continue;
                        }
                        Key::Outlet => &mut r.outlet,
                        Key::Title => &mut r.title,
                        Key::Published => &mut r.published,
                        Key::Url => &mut r.url,
                        Key::Category => &mut r.category,
                        Key::Body => &mut r.body,
                        Key::Other => {
                            map.next_value::<IgnoredAny>()?;
                            r.unknown_fields += 1;
                            continue;
                        }
                    };
                    *slot = map.next_value::<Option<String>>()?;
                }
                Ok(r)
            }
        }
        deserializer.deserialize_map(RecordVisitor)
    }
}

/// An id: a string, or an integer written as one.
struct IdValue(String);

impl<'de> Deserialize<'de> for IdValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = IdValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or an integer")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<IdValue, E> {
                Ok(IdValue(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<IdValue, E> {
                Ok(IdValue(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<IdValue, E> {
                Ok(IdValue(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<IdValue, E> {
                Ok(IdValue(v.to_string()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_record() {
        let r = Record::from_json(
            r#"{"id":"a1","outlet":"BBC","title":" T ","published":"2018-02-26","url":"u","category":"c","body":"x\ny","extra":[1,2]}"#,
        )
        .unwrap();
        assert_eq!(r.id, "a1");
        assert_eq!(r.title.as_deref(), Some("T"));
        assert_eq!(r.published.unwrap().to_string(), "2018-02-26");
        assert_eq!(r.unknown_fields, 1);
    }

    #[test]
    fn optional_fields_may_be_missing_or_null() {
        let r = Record::from_json(r#"{"id":7,"body":"x","published":null}"#).unwrap();
        assert_eq!(r.id, "7");
        assert!(r.outlet.is_none() && r.published.is_none());
    }

    #[test]
    fn rejections_have_reasons() {
        let cases = [
            (r#"{"body":"x"}"#, "no `id`"),
            (r#"{"id":"a"}"#, "no `body`"),
            (r#"{"id":"a","body":"  "}"#, "empty `body`"),
            (r#"{"id":"","body":"x"}"#, "empty `id`"),
            (
                r#"{"id":"a","body":"x","published":"2018-02-30"}"#,
                "YYYY-MM-DD",
            ),
            (r#"{"id":"a","body":"x""#, "malformed JSON"),
            (r#"[1,2]"#, "malformed JSON"),
            (r#"{"id":"a","body":5}"#, "malformed JSON"),
        ];
        for (line, want) in cases {
            let err = Record::from_json(line).unwrap_err();
            assert!(err.contains(want), "{line}: {err}");
        }
    }

    #[test]
    fn dates_round_trip() {
        for s in ["1970-01-01", "2000-02-29", "2024-07-30", "1969-12-31"] {
            let d = Date::parse(s).unwrap();
            assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), d);
        }
        assert_eq!(Date::parse("1970-01-02").unwrap().days_since_epoch(), 1);
        assert!(Date::parse("2023-02-29").is_none());
    }

    #[test]
    fn hash_changes_with_any_field() {
        let a = Record::from_json(r#"{"id":"a","body":"x"}"#).unwrap();
        let mut b = a.clone();
        b.title = Some("x".into());
        assert_ne!(a.content_hash(), b.content_hash());
        assert_eq!(a.content_hash(), a.clone().content_hash());
    }
}
