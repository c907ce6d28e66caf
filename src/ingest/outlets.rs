//! The outlet alias table (`index-schema/outlets.json`): every spelling of an outlet
//! maps to one canonical name, so the `/outlet/<name>` facet does not split an outlet.

use rustc_hash::FxHashMap;

use crate::analysis::normalize::fold_letter_variant;
use crate::config::OutletsConfig;

/// Folds a string for loose matching: Latin lowercased, Arabic diacritics, tatweel and
/// invisible marks dropped, the spellings of one letter folded (hamza-seated alefs → ا,
/// ى ی → ي, ة → ه: `normalize::LETTER_VARIANTS`), and everything that is
/// not a letter or digit dropped (spaces, dots, hyphens, quotes).
pub fn fold_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = fold_letter_variant(c);
        if c.is_alphanumeric() && !is_arabic_mark(c) {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Arabic diacritics and tatweel (not letters for matching purposes).
pub fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '\u{06D6}'..='\u{06ED}')
}

/// Alias → canonical name.
#[derive(Clone, Debug, Default)]
pub struct OutletTable {
    by_key: FxHashMap<String, String>,
}

impl OutletTable {
    pub fn new(config: &OutletsConfig) -> OutletTable {
        let mut by_key = FxHashMap::default();
        for (canonical, aliases) in &config.outlets {
            by_key.insert(fold_key(canonical), canonical.clone());
            for alias in aliases {
                by_key.insert(fold_key(alias), canonical.clone());
            }
        }
        OutletTable { by_key }
    }

    /// The canonical name of an outlet; an unknown outlet keeps its name (trimmed, and
    /// with `/` replaced, which would start a new facet level).
    pub fn canonical(&self, name: &str) -> String {
        let name = name.trim();
        match self.by_key.get(&fold_key(name)) {
            Some(canonical) => canonical.clone(),
            None => name.replace('/', "-"),
        }
    }

    /// Whether a name is in the table.
    pub fn is_known(&self, name: &str) -> bool {
        self.by_key.contains_key(&fold_key(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn aliases_map_to_one_name() {
        let table = OutletTable::new(&Config::builtin().outlets);
        for alias in [
            "الشرق الأوسط",
            "الشرق الاوسط",
            "aawsat",
            "Asharq Al-Awsat",
            "Al-Sharq Al-Awsat",
        ] {
            assert_eq!(table.canonical(alias), "Al-Sharq Al-Awsat", "{alias}");
        }
        assert_eq!(table.canonical("الإمارات اليوم"), "Emarat Al Youm");
        assert_eq!(
            table.canonical(" الجزائر الجديدة "),
            "El Djazair El Djadida"
        );
        assert_eq!(table.canonical("France 24"), "France24");
        assert_eq!(table.canonical("Some/Blog"), "Some-Blog");
        assert!(!table.is_known("الجزيرة"));
    }

    #[test]
    fn corpus_outlets_are_canonical() {
        let table = OutletTable::new(&Config::builtin().outlets);
        for name in [
            "AlArabiya",
            "BBC",
            "CNN",
            "France24",
            "SkyNews",
            "JawharaFM",
            "Al-Sharq Al-Awsat",
            "Al-Eqtisadiya",
            "Al-Jazirah",
            "Al-Madina",
            "Al-Riyadh",
            "Al-Watan",
            "Al-Weeam",
            "Al-Yaum",
            "Arreyadi",
            "Okaz",
            "Sabq",
            "Ain Alyoum",
            "Saudi Press Agency",
            "Arriyadiyah",
        ] {
            assert_eq!(table.canonical(name), name);
            assert!(table.is_known(name));
        }
    }
}
