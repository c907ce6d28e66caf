//! The timeline: a bar chart of matching articles per month, drawn by the server as
//! inline SVG (no script). Each bar links to the same search narrowed to its month.
//! Several series (all matches, then one per group the query names) share each month's
//! slot, side by side, one colour each.

use std::collections::BTreeMap;

use maud::{html, Markup};

/// Colours of the series after the first, in order (the first is neutral).
pub const COLOURS: &[&str] = &["#c0392b", "#1f6fb2", "#2e8b57", "#8e44ad", "#d35400"];
/// The colour of the "all matches" series.
pub const NEUTRAL: &str = "#7a8794";

/// One series: a name, a colour and counts by month (`YYYY-MM`).
pub struct Series<'a> {
    pub name: String,
    pub colour: &'a str,
    pub counts: &'a BTreeMap<String, u64>,
}

fn parse_month(key: &str) -> Option<(i32, u32)> {
    let (y, m) = key.split_once('-')?;
    let (y, m) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then_some((y, m))
}

/// Every month from the first to the last with a count in any series.
fn months(series: &[Series]) -> Vec<(i32, u32)> {
    let mut keys = series
        .iter()
        .flat_map(|s| s.counts.keys())
        .filter_map(|k| parse_month(k));
    let Some(first) = keys.next() else {
        return Vec::new();
    };
    let (lo, hi) = keys.fold((first, first), |(lo, hi), k| (lo.min(k), hi.max(k)));
    let mut out = Vec::new();
    let (mut y, mut m) = lo;
    while (y, m) <= hi {
        out.push((y, m));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// The last day of a month.
pub fn last_day(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

const SLOT: f64 = 12.0;
const HEIGHT: f64 = 90.0;
const AXIS: f64 = 16.0;

/// The chart; `link(year, month)` gives each bar's target. Empty series draw nothing.
pub fn chart(series: &[Series], link: &dyn Fn(i32, u32) -> String) -> Markup {
    let months = months(series);
    if months.is_empty() {
        return html! {};
    }
    let max = series
        .iter()
        .flat_map(|s| s.counts.values())
        .copied()
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let width = months.len() as f64 * SLOT;
    let bar = (SLOT - 2.0) / series.len() as f64;
    html! {
        figure.timeline {
            svg viewBox=(format!("0 0 {width} {}", HEIGHT + AXIS)) role="img"
                preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg"
                aria-label="عدد المقالات في كل شهر" {
                @for (i, (year, month)) in months.iter().enumerate() {
                    @let key = format!("{year:04}-{month:02}");
                    @let x0 = i as f64 * SLOT + 1.0;
                    a href=(link(*year, *month)) class="bar" {
                        title {
                            (key) ": "
                            @for (j, s) in series.iter().enumerate() {
                                @if j > 0 { " · " }
                                (s.name) " " (s.counts.get(&key).copied().unwrap_or(0))
                            }
                        }
                        rect x=(x0 - 1.0) y="0" width=(SLOT) height=(HEIGHT) fill="transparent" {}
                        @for (j, s) in series.iter().enumerate() {
                            @let n = s.counts.get(&key).copied().unwrap_or(0) as f64;
                            @let h = if n > 0.0 { (n / max * (HEIGHT - 4.0)).max(1.5) } else { 0.0 };
                            rect x=(format!("{:.2}", x0 + j as f64 * bar)) y=(format!("{:.2}", HEIGHT - h))
                                width=(format!("{:.2}", bar)) height=(format!("{:.2}", h)) fill=(s.colour) {}
                        }
                    }
                    @if *month == 1 || i == 0 {
                        text x=(x0) y=(HEIGHT + AXIS - 3.0) class="year" { (year) }
                    }
                }
            }
            @if series.len() > 1 {
                figcaption {
                    @for s in series {
                        span.legend { svg.swatch viewBox="0 0 10 10" { rect width="10" height="10" fill=(s.colour) {} } (s.name) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_fill_gaps_and_bars_link() {
        let counts: BTreeMap<String, u64> =
            [("2017-11".to_string(), 2), ("2018-02".to_string(), 4)].into();
        let series = [Series {
            name: "all".into(),
            colour: NEUTRAL,
            counts: &counts,
        }];
        assert_eq!(
            months(&series),
            vec![(2017, 11), (2017, 12), (2018, 1), (2018, 2)]
        );
        let svg = chart(&series, &|y, m| {
            format!(
                "/search?from={y:04}-{m:02}-01&to={y:04}-{m:02}-{:02}",
                last_day(y, m)
            )
        })
        .into_string();
        assert_eq!(svg.matches("<a href=").count(), 4);
        assert!(svg.contains("href=\"/search?from=2018-02-01&amp;to=2018-02-28\""));
        assert!(svg.contains("<title>2018-02: all 4</title>"));
        assert_eq!(last_day(2024, 2), 29);
        let empty = BTreeMap::new();
        let none = [Series {
            name: "all".into(),
            colour: NEUTRAL,
            counts: &empty,
        }];
        assert_eq!(chart(&none, &|_, _| String::new()).into_string(), "");
    }
}
