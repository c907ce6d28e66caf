//! The query language, parsed into a small syntax tree before any analysis.
//!
//! ```text
//! فاغنر مالي                 bare words: ranked
//! "المرتزقة الروس"           a phrase, matched on positions
//! +فاغنر -أوكرانيا           required / excluded
//! فاغنر OR "الفيلق الأفريقي"  either
//! (فاغنر OR فاجنر) كيدال      grouping
//! title:كمين outlet:BBC      a field: title words, or an outlet name
//! ```
//!
//! The parser never fails: whatever the user types becomes some tree. Unbalanced quotes
//! end at the end of the query, a stray `)` is ignored, a lone `-` or `+` is ignored,
//! control characters are spaces, an unknown `field:` prefix is part of the word.
//! Whether the tree can be *searched* (it may hold only stop words, or only exclusions)
//! is the query builder's concern.

/// How a clause combines with its siblings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Occur {
    /// Ranked; need not match (see the builder's minimum-match rule).
    Should,
    /// `+`: must match.
    Must,
    /// `-`: must not match.
    MustNot,
}

/// The fields a query can name with `field:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldName {
    Title,
    Outlet,
    /// `about:GROUP`: passages about one of the four groups.
    About,
}

impl FieldName {
    fn parse(name: &str) -> Option<FieldName> {
        match name.to_ascii_lowercase().as_str() {
            "title" => Some(FieldName::Title),
            "outlet" => Some(FieldName::Outlet),
            "about" | "group" => Some(FieldName::About),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FieldName::Title => "title",
            FieldName::Outlet => "outlet",
            FieldName::About => "about",
        }
    }
}

/// A query syntax tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// One word as typed (it may analyse to zero or several terms).
    Word(String),
    /// A quoted phrase as typed.
    Phrase(String),
    /// `field:value`.
    Field(FieldName, Box<Node>),
    /// `a OR b OR …`.
    Or(Vec<Node>),
    /// A parenthesised group or the whole query.
    Group(Vec<Clause>),
}

/// One node with its occurrence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    pub occur: Occur,
    pub node: Node,
}

/// The parsed query: its top-level clauses, and whether it was cut short.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedQuery {
    pub clauses: Vec<Clause>,
    /// Words ignored past [`MAX_WORDS`].
    pub dropped_words: usize,
}

/// At most this many words and phrases are searched; the rest are reported as dropped.
pub const MAX_WORDS: usize = 64;
/// Deepest parenthesis nesting followed; deeper `(` are ignored.
const MAX_DEPTH: usize = 16;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Lexeme {
    Word(String),
    Phrase(String),
    Plus,
    Minus,
    Or,
    Open,
    Close,
    /// `field:` immediately followed by its value.
    FieldPrefix(FieldName),
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

/// Straight and typographic double quotes, and guillemets, open and close phrases.
fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '«' | '»' | '＂')
}

fn lex(input: &str) -> Vec<Lexeme> {
    let mut out = Vec::new();
    let mut chars = input.char_indices().peekable();
    // Whether the previous character ended a word: `+`/`-` only count at a word start.
    while let Some(&(i, c)) = chars.peek() {
        if is_space(c) {
            chars.next();
            continue;
        }
        if is_quote(c) {
            chars.next();
            let start = i + c.len_utf8();
            let mut end = input.len();
            for (j, d) in chars.by_ref() {
                if is_quote(d) {
                    end = j;
                    break;
                }
            }
            let phrase: String = input[start..end]
                .chars()
                .map(|ch| if ch.is_control() { ' ' } else { ch })
                .collect();
            out.push(Lexeme::Phrase(phrase));
            continue;
        }
        match c {
            '(' => {
                chars.next();
                out.push(Lexeme::Open);
                continue;
            }
            ')' => {
                chars.next();
                out.push(Lexeme::Close);
                continue;
            }
            '+' => {
                chars.next();
                out.push(Lexeme::Plus);
                continue;
            }
            '-' => {
                chars.next();
                out.push(Lexeme::Minus);
                continue;
            }
            _ => {}
        }
        // A word runs to a space, quote or parenthesis.
        let start = i;
        let mut end = input.len();
        while let Some(&(j, d)) = chars.peek() {
            if is_space(d) || is_quote(d) || d == '(' || d == ')' {
                end = j;
                break;
            }
            chars.next();
        }
        let word = &input[start..end];
        if word == "OR" || word == "||" {
            out.push(Lexeme::Or);
            continue;
        }
        if let Some((name, value)) = word.split_once(':') {
            if let Some(field) = FieldName::parse(name) {
                out.push(Lexeme::FieldPrefix(field));
                if !value.is_empty() {
                    out.push(Lexeme::Word(value.to_string()));
                }
                continue;
            }
        }
        out.push(Lexeme::Word(word.to_string()));
    }
    out
}

struct Parser {
    lexemes: Vec<Lexeme>,
    at: usize,
    words: usize,
    dropped: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Lexeme> {
        self.lexemes.get(self.at)
    }

    fn next(&mut self) -> Option<Lexeme> {
        let l = self.lexemes.get(self.at).cloned();
        self.at += 1;
        l
    }

    /// Clauses until a `)` (consumed, when `depth > 0`) or the end.
    fn clauses(&mut self, depth: usize) -> Vec<Clause> {
        let mut clauses: Vec<Clause> = Vec::new();
        let mut pending_or = false;
        while let Some(lexeme) = self.peek() {
            match lexeme {
                Lexeme::Close => {
                    self.at += 1;
                    if depth > 0 {
                        break;
                    }
                    continue; // a stray `)` at top level
                }
                Lexeme::Or => {
                    self.at += 1;
                    pending_or = !clauses.is_empty();
                    continue;
                }
                _ => {}
            }
            let Some(clause) = self.clause(depth) else {
                continue;
            };
            if pending_or && clause.occur == Occur::Should {
                if let Some(previous) = clauses.last_mut() {
                    if previous.occur == Occur::Should {
                        let previous_node =
                            std::mem::replace(&mut previous.node, Node::Or(Vec::new()));
                        previous.node = match previous_node {
                            Node::Or(mut alternatives) => {
                                alternatives.push(clause.node);
                                Node::Or(alternatives)
                            }
                            other => Node::Or(vec![other, clause.node]),
                        };
                        pending_or = false;
                        continue;
                    }
                }
            }
            pending_or = false;
            clauses.push(clause);
        }
        clauses
    }

    /// One clause: optional `+`/`-`, then an atom. None when nothing searchable was read.
    fn clause(&mut self, depth: usize) -> Option<Clause> {
        let mut occur = Occur::Should;
        loop {
            match self.peek() {
                Some(Lexeme::Plus) => occur = Occur::Must,
                Some(Lexeme::Minus) => occur = Occur::MustNot,
                _ => break,
            }
            self.at += 1;
        }
        let node = self.atom(depth)?;
        Some(Clause { occur, node })
    }

    fn atom(&mut self, depth: usize) -> Option<Node> {
        match self.next()? {
            Lexeme::Word(word) => self.counted(Node::Word(word)),
            Lexeme::Phrase(phrase) => {
                if phrase.trim().is_empty() {
                    None
                } else {
                    self.counted(Node::Phrase(phrase))
                }
            }
            // Past the depth limit a `(` is ignored rather than followed (no deep recursion).
            Lexeme::Open if depth >= MAX_DEPTH => None,
            Lexeme::Open => {
                let inner = self.clauses(depth + 1);
                if inner.is_empty() {
                    None
                } else {
                    Some(Node::Group(inner))
                }
            }
            Lexeme::FieldPrefix(field) => match self.peek() {
                Some(Lexeme::Word(_)) | Some(Lexeme::Phrase(_)) | Some(Lexeme::Open) => {
                    let value = self.atom(depth)?;
                    Some(Node::Field(field, Box::new(value)))
                }
                // `title:` followed by nothing usable: read it as the word itself.
                _ => self.counted(Node::Word(format!("{}:", field.as_str()))),
            },
            // `+`/`-`/`OR`/`)` where an atom was expected: skip it.
            Lexeme::Plus | Lexeme::Minus | Lexeme::Or | Lexeme::Close => None,
        }
    }

    fn counted(&mut self, node: Node) -> Option<Node> {
        if self.words >= MAX_WORDS {
            self.dropped += 1;
            return None;
        }
        self.words += 1;
        Some(node)
    }
}

/// Parses a query. Never fails; see the module documentation.
pub fn parse(input: &str) -> ParsedQuery {
    let mut parser = Parser {
        lexemes: lex(input),
        at: 0,
        words: 0,
        dropped: 0,
    };
    let clauses = parser.clauses(0);
    ParsedQuery {
        clauses,
        dropped_words: parser.dropped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Node {
        Node::Word(w.to_string())
    }

    fn should(node: Node) -> Clause {
        Clause {
            occur: Occur::Should,
            node,
        }
    }

    #[test]
    fn bare_words() {
        assert_eq!(
            parse("فاغنر مالي").clauses,
            vec![should(word("فاغنر")), should(word("مالي"))]
        );
    }

    #[test]
    fn phrases_with_any_quotes() {
        for q in ["\"المرتزقة الروس\"", "“المرتزقة الروس”", "«المرتزقة الروس»"]
        {
            assert_eq!(
                parse(q).clauses,
                vec![should(Node::Phrase("المرتزقة الروس".into()))],
                "{q}"
            );
        }
    }

    #[test]
    fn unbalanced_quote_runs_to_the_end() {
        assert_eq!(
            parse("كمين \"تين زاوتين").clauses,
            vec![
                should(word("كمين")),
                should(Node::Phrase("تين زاوتين".into()))
            ]
        );
    }

    #[test]
    fn required_and_excluded() {
        assert_eq!(
            parse("+فاغنر -أوكرانيا").clauses,
            vec![
                Clause {
                    occur: Occur::Must,
                    node: word("فاغنر")
                },
                Clause {
                    occur: Occur::MustNot,
                    node: word("أوكرانيا")
                },
            ]
        );
    }

    #[test]
    fn hyphen_inside_a_word_is_not_an_exclusion() {
        assert_eq!(parse("CSP-DPA").clauses, vec![should(word("CSP-DPA"))]);
    }

    #[test]
    fn or_binds_neighbours() {
        assert_eq!(
            parse("كمين فاغنر OR فاجنر OR \"الفيلق الأفريقي\" مالي").clauses,
            vec![
                should(word("كمين")),
                should(Node::Or(vec![
                    word("فاغنر"),
                    word("فاجنر"),
                    Node::Phrase("الفيلق الأفريقي".into())
                ])),
                should(word("مالي")),
            ]
        );
    }

    #[test]
    fn groups_and_fields() {
        assert_eq!(
            parse("(فاغنر OR فاجنر) title:كمين outlet:\"الشرق الأوسط\"").clauses,
            vec![
                should(Node::Group(vec![should(Node::Or(vec![
                    word("فاغنر"),
                    word("فاجنر")
                ]))])),
                should(Node::Field(FieldName::Title, Box::new(word("كمين")))),
                should(Node::Field(
                    FieldName::Outlet,
                    Box::new(Node::Phrase("الشرق الأوسط".into()))
                )),
            ]
        );
    }

    #[test]
    fn unknown_field_prefix_is_part_of_the_word() {
        assert_eq!(parse("http://x").clauses, vec![should(word("http://x"))]);
    }

    #[test]
    fn malformed_input_never_fails() {
        for q in [
            "",
            "-",
            "+",
            "((",
            "))",
            "\"",
            "OR",
            "a OR",
            "OR a",
            "title:",
            "( - + )",
            "\u{200F}\u{202B}",
            "\u{0}\u{7}\n\t",
            "\"\"",
            "+-+-x",
        ] {
            let _ = parse(q);
        }
        assert!(parse("-").clauses.is_empty());
        assert!(parse("((").clauses.is_empty());
        assert_eq!(
            parse("a\u{0}b").clauses,
            vec![should(word("a")), should(word("b"))]
        );
    }

    #[test]
    fn long_queries_are_cut_and_counted() {
        let q = "كلمة ".repeat(2000);
        let parsed = parse(&q);
        assert_eq!(parsed.clauses.len(), MAX_WORDS);
        assert_eq!(parsed.dropped_words, 2000 - MAX_WORDS);
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let q = format!("{}x{}", "(".repeat(10_000), ")".repeat(10_000));
        let parsed = parse(&q);
        assert_eq!(parsed.clauses.len(), 1);
    }
}
