//! Word shingles and their MinHash signature.
//!
//! Words: the article text folded as the cleaner folds it for matching
//! ([`crate::ingest::clean::fold`]: letter variants unified, diacritics, tatweel and
//! punctuation dropped, Latin lowercased), then the article ال (with a glued و ب ل ف or
//! ك before it) removed, so `والحكومة` and `الحكومه` are one word. This is the
//! analysis's normalisation without its stemmer: one cheap pass, since the full
//! analyser over every article again would cost a fifth of the indexing time.
//!
//! Signature: one-permutation MinHash (Li, Owen & Zhang 2012) with 64 bins and
//! densification by rotation (Shrivastava & Li 2014) — each shingle is hashed once, its
//! top 6 bits pick a bin and the bin keeps the smallest remaining value; an empty bin
//! borrows from the next full one. Each bin keeps 15 bits of its minimum (b-bit
//! MinHash), four bins per `u64` with the word's index in the top 4 bits, so the 16
//! words of a signature can be stored as one multi-valued fast field in any order.
//! The share of equal bins estimates the Jaccard similarity of the two shingle sets.

use super::templates::TemplateShingles;
use crate::ingest::clean;

/// Bins of a signature.
pub const BINS: usize = crate::config::stories::SIGNATURE_BINS;
/// `u64` words of a packed signature.
pub const WORDS: usize = BINS / LANES;
const LANES: usize = 4;
const LANE_BITS: u32 = 15;
const LANE_MASK: u64 = (1 << LANE_BITS) - 1;

/// A packed MinHash signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Signature(pub [u64; WORDS]);

/// The folded words of a text (the article and its glued proclitics removed).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    clean::for_each_folded_word(text, |w| out.push(strip_article(w).to_string()));
    out
}

fn strip_article(w: &str) -> &str {
    for prefix in ["وال", "بال", "لل", "فال", "كال", "ال"] {
        if let Some(rest) = w.strip_prefix(prefix) {
            if rest.chars().nth(1).is_some() {
                return rest;
            }
        }
    }
    w
}

/// The hash of one folded word (its article already removed).
#[inline]
fn word_hash(w: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(w.as_bytes())
}

/// The hash of a shingle from its words' hashes, in order.
pub(crate) fn combine(window: &[u64]) -> u64 {
    let mut h = 0x9E37_79B9_7F4A_7C15u64;
    for &x in window {
        h = (h.rotate_left(23) ^ x).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    }
    h ^ (h >> 29)
}

/// The hashes of the `n`-word shingles of a text's words (one shingle of all words if
/// fewer), in order; a repeated shingle repeats its hash (MinHash does not mind).
pub fn shingle_hashes(words: &[u64], n: usize) -> Vec<u64> {
    let n = n.max(1);
    if words.is_empty() {
        return Vec::new();
    }
    if words.len() < n {
        return vec![combine(words)];
    }
    words.windows(n).map(combine).collect()
}

/// The distinct `n`-word shingles of `words` (for tests and tools).
pub fn shingles(words: &[String], n: usize) -> Vec<u64> {
    let hashes: Vec<u64> = words.iter().map(|w| word_hash(w)).collect();
    let mut out = shingle_hashes(&hashes, n);
    out.sort_unstable();
    out.dedup();
    out
}

/// The bins of a signature being built: the smallest value each bin has seen.
struct Mins {
    mins: [u64; BINS],
    /// Shingles added, with repeats ([`Mins::add_unless_template`]: exact up to the
    /// count it needs).
    count: usize,
}

impl Mins {
    fn new() -> Mins {
        Mins {
            mins: [u64::MAX; BINS],
            count: 0,
        }
    }

    #[inline]
    fn add(&mut self, h: u64) {
        let (bin, value) = Mins::slot(h);
        if value < self.mins[bin] {
            self.mins[bin] = value;
        }
        self.count += 1;
    }

    /// A shingle's bin and value. Mixed once more so bins and values do not depend on
    /// the shingle combiner.
    #[inline]
    fn slot(h: u64) -> (usize, u64) {
        let h = h.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (h >> 31);
        ((h >> 58) as usize, h & ((1 << 58) - 1))
    }

    /// Adds a shingle unless it is one of `templates`, and counts it if it is not, up
    /// to `needed`: the template list is only looked at while the count still matters
    /// or when the shingle would lower its bin, since a template's shingle that would
    /// change nothing needs no look-up. The signature is the one
    /// [`Mins::add`] of the non-template shingles gives, and the count is exact below
    /// `needed`.
    #[inline]
    fn add_unless_template(&mut self, h: u64, templates: &TemplateShingles, needed: usize) {
        let (bin, value) = Mins::slot(h);
        let lowers = value < self.mins[bin];
        if (lowers || self.count < needed) && !templates.contains(h) {
            if lowers {
                self.mins[bin] = value;
            }
            self.count += 1;
        }
    }

    /// Densified and packed (`None` when nothing was added).
    fn finish(&self) -> Option<Signature> {
        if self.count == 0 {
            return None;
        }
        let mins = &self.mins;
        // Densification: an empty bin takes the next full bin's value, marked by distance.
        let mut values = [0u64; BINS];
        for (i, v) in values.iter_mut().enumerate() {
            let mut d = 0;
            while mins[(i + d) % BINS] == u64::MAX {
                d += 1;
            }
            let m = mins[(i + d) % BINS];
            *v = (m ^ (d as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)) & LANE_MASK;
        }
        let mut words = [0u64; WORDS];
        for (w, word) in words.iter_mut().enumerate() {
            let mut x = (w as u64) << 60;
            for lane in 0..LANES {
                x |= values[w * LANES + lane] << (LANE_BITS * lane as u32);
            }
            *word = x;
        }
        Some(Signature(words))
    }
}

impl Signature {
    /// The signature of a set of shingle hashes (`None` for an empty set).
    pub fn of(shingles: &[u64]) -> Option<Signature> {
        let mut mins = Mins::new();
        for &h in shingles {
            mins.add(h);
        }
        mins.finish()
    }

    /// The signature of a text (`None` with fewer than `min_shingles` shingles, counted
    /// with repeats).
    pub fn of_text(text: &str, shingle_words: usize, min_shingles: usize) -> Option<Signature> {
        Self::of_passages(
            [text],
            shingle_words,
            min_shingles,
            &TemplateShingles::default(),
        )
    }

    /// The signature of passages read as one text, leaving out the `templates`
    /// shingles (`None` with fewer than `min_shingles` other shingles, counted with
    /// repeats). One pass: each passage is folded, its words hashed and their shingles
    /// fed to the bins as they come, with no list of words or shingles in between.
    pub fn of_passages<'a>(
        passages: impl IntoIterator<Item = &'a str>,
        shingle_words: usize,
        min_shingles: usize,
        templates: &TemplateShingles,
    ) -> Option<Signature> {
        let n = shingle_words.max(1);
        let mut window: Vec<u64> = Vec::with_capacity(n);
        let mut mins = Mins::new();
        let mut words = 0usize;
        let needed = min_shingles.max(1);
        let feed = |h: u64, mins: &mut Mins| mins.add_unless_template(h, templates, needed);
        for p in passages {
            clean::for_each_folded_word(p, |w| {
                if window.len() == n {
                    window.copy_within(1.., 0);
                    window.pop();
                }
                window.push(word_hash(strip_article(w)));
                words += 1;
                if window.len() == n {
                    feed(combine(&window), &mut mins);
                }
            });
        }
        // Fewer words than a shingle: one shingle of them all.
        if words > 0 && words < n {
            feed(combine(&window), &mut mins);
        }
        if mins.count < needed {
            return None;
        }
        mins.finish()
    }

    /// Bin `i`'s value.
    pub fn bin(&self, i: usize) -> u64 {
        (self.0[i / LANES] >> (LANE_BITS * (i % LANES) as u32)) & LANE_MASK
    }

    /// The estimated Jaccard similarity: the share of equal bins.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let mut equal = 0u32;
        for (a, b) in self.0.iter().zip(&other.0) {
            let x = a ^ b;
            for lane in 0..LANES {
                equal += u32::from((x >> (LANE_BITS * lane as u32)) & LANE_MASK == 0);
            }
        }
        f64::from(equal) / BINS as f64
    }

    /// The packed words, as stored.
    pub fn to_values(self) -> [u64; WORDS] {
        self.0
    }

    /// From stored words in any order; `None` unless all 16 words are there.
    pub fn from_values(values: &[u64]) -> Option<Signature> {
        let mut words = [0u64; WORDS];
        let mut seen = 0u32;
        for &v in values {
            let i = (v >> 60) as usize;
            if i >= WORDS {
                return None;
            }
            words[i] = v;
            seen |= 1 << i;
        }
        (seen == (1 << WORDS) - 1).then_some(Signature(words))
    }

    /// The LSH band keys: band `t` hashes bins `t·rows .. (t+1)·rows`.
    pub fn band_keys(&self, rows: usize) -> impl Iterator<Item = u64> + '_ {
        let rows = rows.clamp(1, BINS);
        (0..BINS / rows).map(move |t| {
            let mut h = (t as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5151;
            for i in t * rows..(t + 1) * rows {
                h = (h.rotate_left(17) ^ self.bin(i)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
            }
            h ^ (h >> 32)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(text: &str) -> Signature {
        Signature::of_text(text, 3, 1).unwrap()
    }

    #[test]
    fn words_are_folded_and_lose_the_article() {
        assert_eq!(
            words("والحكومة الإسلاميّة، وزارة لـلدفاع"),
            ["حكومه", "اسلاميه", "وزاره", "دفاع"]
        );
        // Two letters must stay after the article: الى keeps it.
        assert_eq!(words("الى"), ["الي"]);
    }

    #[test]
    fn shingles_are_consecutive_words_deduplicated() {
        let w: Vec<String> = ["ا", "ب", "ج", "ا", "ب", "ج"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        // abc, bca, cab, abc again: three distinct shingles.
        assert_eq!(shingles(&w, 3).len(), 3);
        assert_eq!(shingles(&w[..2], 3).len(), 1);
        assert!(shingles(&[], 3).is_empty());
    }

    #[test]
    fn identical_texts_have_identical_signatures() {
        let a = "قال وزير الخارجية إن المحادثات مع الوفد الفرنسي تناولت الوضع في مالي";
        assert_eq!(sig(a), sig(a));
        assert_eq!(sig(a).similarity(&sig(a)), 1.0);
        // Diacritics, hamza forms and the article do not change a word.
        let b = "قال وزيرُ الخارجيّة إنّ المحادثات مع الوفد الفرنسيّ تناولت الوضع في مالي";
        assert_eq!(sig(a), sig(b));
    }

    #[test]
    fn similarity_tracks_shared_shingles() {
        let base: Vec<String> = (0..200).map(|i| format!("w{i}")).collect();
        let text = |ws: &[String]| ws.join(" ");
        let a = sig(&text(&base));
        // Same text with the last 40 words replaced: 158 of 198+40 shingles shared...
        let mut edited = base.clone();
        for w in edited.iter_mut().skip(160) {
            w.push('x');
        }
        let j_true = 158.0 / 238.0;
        let e = a.similarity(&sig(&text(&edited)));
        assert!((e - j_true).abs() < 0.2, "estimate {e}, true {j_true}");
        let other: Vec<String> = (0..200).map(|i| format!("v{i}")).collect();
        assert!(a.similarity(&sig(&text(&other))) < 0.1);
    }

    #[test]
    fn stored_values_round_trip_in_any_order() {
        let s = sig("نص قصير عن موضوع ما في مكان ما");
        let mut v = s.to_values().to_vec();
        v.reverse();
        assert_eq!(Signature::from_values(&v), Some(s));
        assert_eq!(Signature::from_values(&v[1..]), None);
    }

    #[test]
    fn too_few_shingles_give_no_signature() {
        assert_eq!(Signature::of_text("كلمة واحدة", 3, 5), None);
        assert_eq!(Signature::of_text("", 3, 1), None);
    }

    #[test]
    fn template_shingles_are_left_out() {
        // Two telegrams of one template (written for this test) to two presidents.
        let a =
            "بعث الملك برقية تهنئة لفخامة الرئيس كفاندو رئيس بوركينا فاسو بمناسبة ذكرى استقلال بلاده";
        let b = "بعث الملك برقية تهنئة لفخامة الرئيس ألين حاكم جامايكا بمناسبة ذكرى استقلال بلاده";
        let none = TemplateShingles::default();
        let sign = |t: &str, tpl: &TemplateShingles| Signature::of_passages([t], 3, 1, tpl);
        let before = sign(a, &none).unwrap().similarity(&sign(b, &none).unwrap());
        // Only the template's 6 shingles are shared, of 17 distinct (Jaccard 0.35).
        assert!(before > 0.2, "{before}");
        // The template's 6 shingles, as the learner writes them.
        let template = TemplateShingles::of_phrases([
            "بعث ملك برقيه",
            "ملك برقيه تهنئه",
            "برقيه تهنئه لفخامه",
            "تهنئه لفخامه رئيس",
            "بمناسبه ذكري استقلال",
            "ذكري استقلال بلاده",
        ]);
        let (sa, sb) = (sign(a, &template).unwrap(), sign(b, &template).unwrap());
        assert!(sa.similarity(&sb) < 0.1, "{}", sa.similarity(&sb));
        // A copy of one telegram is still itself.
        assert_eq!(sign(a, &template), sign(a, &template));
        assert_eq!(
            sa.similarity(&sign(&format!("{a}."), &template).unwrap()),
            1.0
        );
        // What is left must still reach min_shingles: a's 14 words make 12 shingles, 6
        // of them the template's.
        assert!(Signature::of_passages([a], 3, 6, &template).is_some());
        assert!(Signature::of_passages([a], 3, 7, &template).is_none());
        assert!(Signature::of_passages([a], 3, 12, &none).is_some());
        assert!(Signature::of_passages([a], 3, 13, &none).is_none());
    }

    #[test]
    fn templates_are_looked_up_only_when_it_matters_with_the_same_result() {
        // 300 words, every third shingle a template's: the signature must be the one of
        // the other shingles, whatever the order of lowering bins and templates.
        let words: Vec<String> = (0..300).map(|i| format!("w{}", i % 150)).collect();
        let hashes: Vec<u64> = words.iter().map(|w| word_hash(w)).collect();
        let all = shingle_hashes(&hashes, 3);
        let phrases: Vec<String> = (0..words.len() - 2)
            .step_by(3)
            .map(|i| words[i..i + 3].join(" "))
            .collect();
        let templates = TemplateShingles::of_phrases(phrases.iter().map(String::as_str));
        let kept: Vec<u64> = all
            .iter()
            .copied()
            .filter(|&h| !templates.contains(h))
            .collect();
        assert!(kept.len() < all.len() && !kept.is_empty());
        let text = words.join(" ");
        assert_eq!(
            Signature::of_passages([text.as_str()], 3, 1, &templates),
            Signature::of(&kept)
        );
        // The count stays exact up to the threshold: kept.len() shingles, repeats counted.
        assert!(Signature::of_passages([text.as_str()], 3, kept.len(), &templates).is_some());
        assert!(Signature::of_passages([text.as_str()], 3, kept.len() + 1, &templates).is_none());
    }

    #[test]
    fn passages_are_one_text() {
        let none = TemplateShingles::default();
        let joined = Signature::of_passages(["الف باء جيم", "دال هاء واو"], 3, 1, &none);
        assert_eq!(joined, Signature::of_text("الف باء جيم دال هاء واو", 3, 1));
        // Fewer words than a shingle: one shingle of them all.
        assert!(Signature::of_passages(["الف", "باء"], 3, 1, &none).is_some());
        assert_eq!(Signature::of_passages(["", " "], 3, 1, &none), None);
    }

    #[test]
    fn band_keys_agree_exactly_when_the_bins_do() {
        let a = sig("الأول الثاني الثالث الرابع الخامس السادس السابع");
        let keys: Vec<u64> = a.band_keys(2).collect();
        assert_eq!(keys.len(), 32);
        assert_eq!(keys, a.band_keys(2).collect::<Vec<_>>());
    }
}
