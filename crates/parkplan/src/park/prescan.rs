//! A cheap pass over a park file's bytes, before the TOML parse, that refuses
//! files asking for more than any park needs: the parse holds every value with
//! its span, about 25 times the file's size for a real park and far more for
//! dense arrays (a 120 MB file of 40 million technology codes needed more than
//! 3 GB). O(bytes), no allocation beyond the nesting stack.

use super::Problem;
use super::read::Source;

/// Most elements in one array: technology codes are 1-999 and unique, and no
/// other list of the format comes near.
pub const MAX_ARRAY_LEN: usize = 1_000;
/// Most values (key = value pairs and array elements) in one file: 10 for each
/// of [`super::MAX_REGIONS`] regions (a generated 200,000-region park with NETs
/// has 1.4 million). The parse needs about 450 bytes per key = value and 200
/// per array element, so the worst file refused after the parse peaks near
/// 1 GB, as the largest park accepted does (docs/reliability.md).
pub const MAX_VALUES: usize = 10 * super::MAX_REGIONS;

#[derive(Clone, Copy, PartialEq)]
enum Frame {
    Array { elements: usize },
    Inline,
}

/// The first limit the text exceeds, as a problem at the place it was crossed.
pub(crate) fn check(text: &str) -> Option<Problem> {
    let b = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut values = 0usize;
    let mut regions = 0usize;
    let mut line_start = true;
    let mut i = 0;
    let problem = |at: usize, key: &str, message: String| {
        let (line, column) = Source::new(text).line_col(at);
        Some(Problem {
            line,
            column,
            key: key.to_string(),
            message,
        })
    };
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                line_start = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                i = skip_string(b, i);
            }
            b'[' if stack.is_empty() && line_start => {
                // A table header: `[a.b]` or `[[region]]`.
                let double = b.get(i + 1) == Some(&b'[');
                let start = i + if double { 2 } else { 1 };
                let mut j = start;
                while j < b.len() && b[j] != b']' && b[j] != b'\n' {
                    j += 1;
                }
                if double && text.get(start..j).is_some_and(|n| n.trim() == "region") {
                    regions += 1;
                    if regions > super::MAX_REGIONS {
                        return problem(
                            i,
                            "region",
                            format!(
                                "more than {} regions; parkplan handles at most {} in one park (about 1 GB of memory)",
                                super::MAX_REGIONS,
                                super::MAX_REGIONS
                            ),
                        );
                    }
                }
                i = j;
            }
            b'[' => stack.push(Frame::Array { elements: 0 }),
            b'{' => stack.push(Frame::Inline),
            b']' | b'}' => {
                stack.pop();
            }
            b',' => {
                if let Some(Frame::Array { elements }) = stack.last_mut() {
                    *elements += 1;
                    values += 1;
                    if *elements >= MAX_ARRAY_LEN {
                        return problem(
                            i,
                            "",
                            format!(
                                "an array of more than {MAX_ARRAY_LEN} elements; no list in a park file needs so many (technology codes are 1-999)"
                            ),
                        );
                    }
                }
            }
            b'=' if !matches!(stack.last(), Some(Frame::Array { .. })) => {
                values += 1;
            }
            _ => {}
        }
        if values > MAX_VALUES {
            return problem(
                i,
                "",
                format!(
                    "more than {MAX_VALUES} values; a park of {} regions needs far fewer (docs/reliability.md)",
                    super::MAX_REGIONS
                ),
            );
        }
        line_start = false;
        i += 1;
    }
    None
}

/// Index of the last byte of the string starting at `i` (basic or literal,
/// one-line or multi-line); the end of the text if it is not closed.
fn skip_string(b: &[u8], i: usize) -> usize {
    let q = b[i];
    let multi = b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q);
    let mut j = if multi { i + 3 } else { i + 1 };
    while j < b.len() {
        if q == b'"' && b[j] == b'\\' {
            j += 2;
            continue;
        }
        if b[j] == q {
            if !multi {
                return j;
            }
            if b.get(j + 1) == Some(&q) && b.get(j + 2) == Some(&q) {
                // Up to two more quotes may close a multi-line string ("""a"""").
                let mut end = j + 2;
                while b.get(end + 1) == Some(&q) && end < j + 4 {
                    end += 1;
                }
                return end;
            }
        } else if b[j] == b'\n' && !multi {
            // An unclosed one-line string: the parser will say so.
            return j - 1;
        }
        j += 1;
    }
    b.len().saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_arrays_values_and_regions_outside_strings_and_comments() {
        assert!(check("a = [1, 2, 3]\n# [[region]] , , , ,\nb = \"[,,,]\"\n").is_none());
        let long = format!("a = [{}1]\n", "1, ".repeat(MAX_ARRAY_LEN));
        let p = check(&long).expect("an array too long");
        assert_eq!(p.line, 1);
        assert!(p.message.contains("1000"), "{}", p.message);
        // The same commas in a string, a literal string or a comment are not elements.
        for wrap in ["\"{}\"", "'{}'", "\"\"\"{}\"\"\"", "'''{}'''"] {
            let body = ",".repeat(MAX_ARRAY_LEN + 5);
            let text = format!("a = [{}]\n", wrap.replace("{}", &body));
            assert!(check(&text).is_none(), "{wrap}");
        }
        // Nested arrays each have their own count.
        let nested = format!("a = [[{}1], [{}1]]\n", "1,".repeat(600), "1,".repeat(600));
        assert!(check(&nested).is_none());
    }

    #[test]
    fn too_many_regions_are_refused_before_parsing() {
        let one = "[[region]]\nid = 1\n";
        let text = one.repeat(super::super::MAX_REGIONS + 1);
        let p = check(&text).expect("too many regions");
        assert_eq!(p.key, "region");
        assert_eq!(p.line, 2 * super::super::MAX_REGIONS + 1);
        assert!(check(&one.repeat(1000)).is_none());
        // A region header inside a multi-line array is not a header.
        assert!(check("a = [\n[1],\n]\n").is_none());
    }

    #[test]
    fn too_many_values_are_refused() {
        let text = "a = 1\n".repeat(MAX_VALUES + 1);
        let p = check(&text).expect("too many values");
        assert_eq!(p.line, MAX_VALUES + 1);
    }
}
