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

/// Height of the bars' area and of the axis below it (one row of labels per line), in px.
const HEIGHT: f64 = 90.0;
const AXIS_LINE: f64 = 13.0;
/// The least distance between two labels of one row, in percent of the chart's width:
/// about 36 px of the side panel's 19rem, enough for "2017" at the labels' size.
const LABEL_GAP: f64 = 12.0;
/// Up to this many months, every month is labelled (its number), the years below.
const MONTHLY: usize = 12;

/// A label on the axis: where it starts (percent of the width), which row, its text.
#[derive(Debug, PartialEq)]
struct Label {
    at: f64,
    row: u8,
    text: String,
}

/// The axis labels: every month's number when there are few months (the year under the
/// first month and under each January); otherwise the years at their Januaries, every
/// 1, 2, 5, 10… years so that at most seven are written, and the first month's year when
/// it is not closer than [`LABEL_GAP`] to the next label (then it is left out).
fn labels(months: &[(i32, u32)]) -> Vec<Label> {
    let slot = 100.0 / months.len() as f64;
    let monthly = months.len() <= MONTHLY;
    let mut out = Vec::new();
    if monthly {
        for (i, (_, month)) in months.iter().enumerate() {
            out.push(Label {
                at: i as f64 * slot,
                row: 0,
                text: format!("{month:02}"),
            });
        }
    }
    let row = u8::from(monthly);
    let gap = if monthly {
        slot.min(LABEL_GAP)
    } else {
        LABEL_GAP
    };
    let (first, last) = (months[0].0, months[months.len() - 1].0);
    let step = [1, 2, 5, 10, 20, 50, 100]
        .into_iter()
        .find(|step| (first..=last).filter(|y| y % step == 0).count() <= 7)
        .unwrap_or(100);
    let mut years: Vec<Label> = months
        .iter()
        .enumerate()
        .filter(|(_, (year, month))| *month == 1 && (monthly || year % step == 0))
        .map(|(i, (year, _))| Label {
            at: i as f64 * slot,
            row,
            text: year.to_string(),
        })
        .collect();
    if years.first().is_none_or(|l| l.at >= gap) && months[0].1 != 1 {
        years.insert(
            0,
            Label {
                at: 0.0,
                row,
                text: first.to_string(),
            },
        );
    }
    out.extend(years);
    out
}

/// The chart; `link(year, month)` gives each bar's target. Empty series draw nothing.
/// Bars are placed in percent of the width and labels are real text (no stretching), so
/// the chart fills any width, from the side panel to a phone, without squeezed labels.
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
    let slot = 100.0 / months.len() as f64;
    let gap = (slot * 0.15).min(0.6);
    let bar = (slot - gap) / series.len() as f64;
    let labels = labels(&months);
    let rows = labels.iter().map(|l| l.row + 1).max().unwrap_or(1);
    let pct = |v: f64| format!("{v:.3}%");
    html! {
        figure.timeline {
            svg width="100%" height=(HEIGHT + AXIS_LINE * f64::from(rows)) role="img"
                xmlns="http://www.w3.org/2000/svg" aria-label="عدد المقالات في كل شهر" {
                @for (i, (year, month)) in months.iter().enumerate() {
                    @let key = format!("{year:04}-{month:02}");
                    @let x0 = i as f64 * slot;
                    a href=(link(*year, *month)) class="bar" {
                        title {
                            (key) ": "
                            @for (j, s) in series.iter().enumerate() {
                                @if j > 0 { " · " }
                                (s.name) " " (s.counts.get(&key).copied().unwrap_or(0))
                            }
                        }
                        rect x=(pct(x0)) y="0" width=(pct(slot)) height=(HEIGHT) fill="transparent" {}
                        @for (j, s) in series.iter().enumerate() {
                            @let n = s.counts.get(&key).copied().unwrap_or(0) as f64;
                            @let h = if n > 0.0 { (n / max * (HEIGHT - 4.0)).max(1.5) } else { 0.0 };
                            rect x=(pct(x0 + gap / 2.0 + j as f64 * bar)) y=(format!("{:.2}", HEIGHT - h))
                                width=(pct(bar)) height=(format!("{:.2}", h)) fill=(s.colour) {}
                        }
                    }
                }
                @for label in &labels {
                    @let end = label.at > 100.0 - LABEL_GAP / 2.0;
                    text x=(pct(if end { 100.0 } else { label.at })) y=(HEIGHT + AXIS_LINE * f64::from(label.row + 1) - 2.0)
                        text-anchor=(if end { "end" } else { "start" })
                        class=(if label.row == 0 && months.len() <= MONTHLY { "month" } else { "year" }) { (label.text) }
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

    fn texts(labels: &[Label]) -> Vec<(u8, &str)> {
        labels.iter().map(|l| (l.row, l.text.as_str())).collect()
    }

    #[test]
    fn few_months_label_each_month_and_the_years_below() {
        let months = [(2017, 11), (2017, 12), (2018, 1), (2018, 2)];
        assert_eq!(
            texts(&labels(&months)),
            vec![
                (0, "11"),
                (0, "12"),
                (0, "01"),
                (0, "02"),
                (1, "2017"),
                (1, "2018")
            ]
        );
    }

    #[test]
    fn many_months_label_spaced_years() {
        // Nov 2014 .. Dec 2024: 122 months, eleven years: every second year is written;
        // the first month's 2014 would be 11.5% from 2016's January: left out.
        let mut months = vec![(2014, 11), (2014, 12)];
        for y in 2015..=2024 {
            months.extend((1..=12).map(|m| (y, m)));
        }
        let got = labels(&months);
        assert_eq!(
            texts(&got),
            vec![
                (0, "2016"),
                (0, "2018"),
                (0, "2020"),
                (0, "2022"),
                (0, "2024")
            ]
        );
        assert!(got.windows(2).all(|w| w[1].at - w[0].at >= LABEL_GAP));
        // Three years from a June: 2018's June is written (room before 2019's January).
        let months: Vec<(i32, u32)> = (6..=12)
            .map(|m| (2018, m))
            .chain((2019..=2020).flat_map(|y| (1..=12).map(move |m| (y, m))))
            .collect();
        assert_eq!(
            texts(&labels(&months)),
            vec![(0, "2018"), (0, "2019"), (0, "2020")]
        );
        // Dec 2015 .. Dec 2020: the first month's year is written only with room for it;
        // 2015 is one slot before 2016's January here, so only the Januaries are.
        let months: Vec<(i32, u32)> = std::iter::once((2015, 12))
            .chain((2016..=2020).flat_map(|y| (1..=12).map(move |m| (y, m))))
            .collect();
        assert_eq!(
            texts(&labels(&months)),
            vec![
                (0, "2016"),
                (0, "2017"),
                (0, "2018"),
                (0, "2019"),
                (0, "2020")
            ]
        );
    }
}
