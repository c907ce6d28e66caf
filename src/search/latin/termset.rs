//! A set of terms as a byte trie that walks a term dictionary: the candidates of a
//! transliteration are looked up in one pass over the dictionary, which only descends
//! into the prefixes the candidates share (see [`super::super::vocabulary`]).

use tantivy_fst::Automaton;

/// A set of terms, as an automaton over the bytes of a term.
#[derive(Clone, Debug)]
pub struct TermSet {
    /// Node 0 is the root; each node's children by byte, and whether a term ends there.
    nodes: Vec<TrieNode>,
    len: usize,
}

#[derive(Clone, Debug, Default)]
struct TrieNode {
    next: Vec<(u8, u32)>,
    terminal: bool,
}

impl TermSet {
    /// The set of `terms` (duplicates count once).
    pub fn new<'t>(terms: impl IntoIterator<Item = &'t str>) -> TermSet {
        let mut set = TermSet {
            nodes: vec![TrieNode::default()],
            len: 0,
        };
        for term in terms {
            set.insert(term);
        }
        set
    }

    fn insert(&mut self, term: &str) {
        let mut at = 0usize;
        for &byte in term.as_bytes() {
            let found = self.nodes[at]
                .next
                .iter()
                .find(|(b, _)| *b == byte)
                .map(|(_, n)| *n as usize);
            at = match found {
                Some(next) => next,
                None => {
                    self.nodes.push(TrieNode::default());
                    let next = self.nodes.len() - 1;
                    self.nodes[at].next.push((byte, next as u32));
                    next
                }
            };
        }
        if !self.nodes[at].terminal {
            self.nodes[at].terminal = true;
            self.len += 1;
        }
    }

    /// How many distinct terms the set holds.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The terms, in byte order.
    pub fn terms(&self) -> Vec<String> {
        let mut out = Vec::with_capacity(self.len);
        let mut bytes = Vec::new();
        self.collect(0, &mut bytes, &mut out);
        out.sort();
        out
    }

    fn collect(&self, node: usize, bytes: &mut Vec<u8>, out: &mut Vec<String>) {
        if self.nodes[node].terminal {
            if let Ok(term) = std::str::from_utf8(bytes) {
                out.push(term.to_string());
            }
        }
        for &(byte, next) in &self.nodes[node].next {
            bytes.push(byte);
            self.collect(next as usize, bytes, out);
            bytes.pop();
        }
    }

    /// Whether `term` is in the set (what the automaton accepts).
    pub fn contains(&self, term: &str) -> bool {
        let mut state = self.start();
        for &byte in term.as_bytes() {
            state = self.accept(&state, byte);
        }
        self.is_match(&state)
    }
}

impl Automaton for TermSet {
    /// The trie node reached, None once the input left the trie.
    type State = Option<u32>;

    fn start(&self) -> Self::State {
        Some(0)
    }

    fn is_match(&self, state: &Self::State) -> bool {
        state.is_some_and(|n| self.nodes[n as usize].terminal)
    }

    fn can_match(&self, state: &Self::State) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        let node = &self.nodes[(*state)? as usize];
        node.next.iter().find(|(b, _)| *b == byte).map(|(_, n)| *n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_exactly_its_terms() {
        let set = TermSet::new(["كيدال", "كدال", "كيدال", "قيدال"]);
        assert_eq!(set.len(), 3);
        for term in ["كيدال", "كدال", "قيدال"] {
            assert!(set.contains(term), "{term}");
        }
        // A prefix, an extension and another word are not in it.
        for term in ["كيدا", "كيدالي", "باماكو", ""] {
            assert!(!set.contains(term), "{term}");
        }
        assert!(TermSet::new([]).is_empty());
        assert_eq!(set.terms(), vec!["قيدال", "كدال", "كيدال"]);
    }

    #[test]
    fn stops_descending_outside_the_trie() {
        let set = TermSet::new(["ab"]);
        let state = set.accept(&set.start(), b'x');
        assert!(!set.can_match(&state));
        let state = set.accept(&set.start(), b'a');
        assert!(set.can_match(&state) && !set.is_match(&state));
    }
}
