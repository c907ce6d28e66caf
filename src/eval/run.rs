//! TREC run files: one line `qid Q0 docid rank score tag` per retrieved document, so
//! `trec_eval -c -M100 -m recip_rank -m ndcg_cut.10 -m recall.10,100 qrels run` can check
//! the numbers computed here.

use std::io::{self, Write};

/// One retrieved document.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub doc: String,
    pub score: f32,
}

/// Writes the rankings of one system. Ranks are 1-based; whitespace in the tag (which
/// would break the format) is replaced by `_`.
pub fn write_trec_run<'a, W: Write>(
    out: &mut W,
    tag: &str,
    rankings: impl IntoIterator<Item = (&'a str, &'a [Hit])>,
) -> io::Result<()> {
    let tag: String = tag
        .chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect();
    let tag = if tag.is_empty() { "run".into() } else { tag };
    for (qid, hits) in rankings {
        for (i, hit) in hits.iter().enumerate() {
            writeln!(out, "{qid} Q0 {} {} {:.6} {tag}", hit.doc, i + 1, hit.score)?;
        }
    }
    Ok(())
}

/// A file name for a system's run file: `akhbar:+stem` → `akhbar_+stem.run`.
pub fn run_file_name(system: &str) -> String {
    let safe: String = system
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.run")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trec_format() {
        let hits = [
            Hit {
                doc: "p1".into(),
                score: 3.5,
            },
            Hit {
                doc: "p2".into(),
                score: 1.25,
            },
        ];
        let mut out = Vec::new();
        write_trec_run(
            &mut out,
            "akhbar full",
            [("q1", &hits[..]), ("q2", &hits[..0])],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "q1 Q0 p1 1 3.500000 akhbar_full\nq1 Q0 p2 2 1.250000 akhbar_full\n"
        );
        assert_eq!(run_file_name("akhbar:+stem"), "akhbar_+stem.run");
    }
}
