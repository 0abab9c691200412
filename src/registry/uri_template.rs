//! Matching concrete URIs against RFC 6570 templates, the subset MCP servers use:
//! `{var}` (one path segment, as the reference SDK matches it), `{+var}` and `{#var}`
//! (reserved expansion: may span `/`), `{/var}` (a `/segment` suffix) and `{?a,b}` / `{&a}`
//! (query parameters, each optional).

/// Schemes the URL standard treats specially (host lower-cased, default port dropped, an
/// empty path becomes "/", ...).
const SPECIAL_SCHEMES: [&str; 6] = ["http:", "https:", "ws:", "wss:", "ftp:", "file:"];

fn plain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=".contains(&b)
}

/// Whether URL normalisation (pydantic's `AnyUrl`, which the SDK keys resources by) leaves
/// `uri` as it is: a lower-case non-special scheme, `://`, then only plain characters
/// (path `/` `:` `@`, query `?` too), and no dot segment. Other URIs may change.
pub fn is_canonical(uri: &str) -> bool {
    if SPECIAL_SCHEMES.iter().any(|s| uri.starts_with(s)) || uri.contains("/.") {
        return false;
    }
    let Some((scheme, rest)) = uri.split_once("://") else {
        return false;
    };
    let mut chars = scheme.bytes();
    if !chars.next().is_some_and(|b| b.is_ascii_lowercase())
        || !chars.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+.-".contains(&b))
    {
        return false;
    }
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match before_query.find('/') {
        Some(i) => before_query.split_at(i),
        None => (before_query, ""),
    };
    authority.bytes().all(plain_byte)
        && path.bytes().all(|b| plain_byte(b) || b"/:@".contains(&b))
        && query.is_none_or(|q| q.bytes().all(|b| plain_byte(b) || b"/:@?".contains(&b)))
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Literal(String),
    /// One variable; `multi` lets it span `/`.
    Var {
        name: String,
        multi: bool,
        prefix: &'static str,
    },
    Query {
        names: Vec<String>,
        continuation: bool,
    },
}

#[derive(Debug, Clone)]
pub struct UriTemplate {
    parts: Vec<Part>,
    vars: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TemplateError(pub String);

impl UriTemplate {
    pub fn parse(template: &str) -> Result<UriTemplate, TemplateError> {
        let mut parts = Vec::new();
        let mut vars = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Literal(rest[..open].to_owned()));
            }
            let close = rest[open..]
                .find('}')
                .ok_or_else(|| TemplateError(format!("unclosed '{{' in {template:?}")))?
                + open;
            let expr = &rest[open + 1..close];
            let (op, body) = match expr.chars().next() {
                Some(c @ ('+' | '#' | '/' | '?' | '&')) => (Some(c), &expr[1..]),
                _ => (None, expr),
            };
            let names: Vec<String> = body
                .split(',')
                .map(|n| n.trim().trim_end_matches('*').to_owned())
                .collect();
            if names
                .iter()
                .any(|n| n.is_empty() || !n.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.'))
            {
                return Err(TemplateError(format!("bad variable in {{{expr}}} of {template:?}")));
            }
            vars.extend(names.iter().cloned());
            match op {
                Some('?') | Some('&') => parts.push(Part::Query {
                    names,
                    continuation: op == Some('&'),
                }),
                _ => {
                    if names.len() != 1 {
                        return Err(TemplateError(format!(
                            "only query expressions may list several variables: {{{expr}}}"
                        )));
                    }
                    let (multi, prefix) = match op {
                        Some('+') => (true, ""),
                        Some('#') => (true, "#"),
                        Some('/') => (false, "/"),
                        _ => (false, ""),
                    };
                    parts.push(Part::Var {
                        name: names.into_iter().next().unwrap(),
                        multi,
                        prefix,
                    });
                }
            }
            rest = &rest[close + 1..];
        }
        if rest.contains('}') {
            return Err(TemplateError(format!("unopened '}}' in {template:?}")));
        }
        if !rest.is_empty() {
            parts.push(Part::Literal(rest.to_owned()));
        }
        Ok(UriTemplate { parts, vars })
    }

    /// Variable names in order of appearance.
    pub fn variables(&self) -> &[String] {
        &self.vars
    }

    /// The variables of `uri` when the whole of it matches.
    pub fn matches(&self, uri: &str) -> Option<Vec<(String, String)>> {
        let mut out = Vec::new();
        if match_parts(&self.parts, uri, &mut out) {
            Some(out)
        } else {
            None
        }
    }
}

fn match_parts(parts: &[Part], input: &str, out: &mut Vec<(String, String)>) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return input.is_empty();
    };
    match first {
        Part::Literal(lit) => input
            .strip_prefix(lit.as_str())
            .is_some_and(|tail| match_parts(rest, tail, out)),
        Part::Var { name, multi, prefix } => {
            let Some(input) = input.strip_prefix(prefix) else {
                return false;
            };
            // Longest match first, backtracking to shorter ones; a value is never empty.
            let stop = if *multi {
                input.len()
            } else {
                input.find(['/', '?', '#']).unwrap_or(input.len())
            };
            let mut end = stop;
            while end > 0 {
                if input.is_char_boundary(end) {
                    let mark = out.len();
                    out.push((name.clone(), input[..end].to_owned()));
                    if match_parts(rest, &input[end..], out) {
                        return true;
                    }
                    out.truncate(mark);
                }
                end -= 1;
            }
            false
        }
        Part::Query { names, continuation } => {
            let lead = if *continuation { '&' } else { '?' };
            let Some(query) = input.strip_prefix(lead) else {
                return match_parts(rest, input, out);
            };
            let end = query.find('#').unwrap_or(query.len());
            for pair in query[..end].split('&') {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                if names.iter().any(|n| n == k) {
                    out.push((k.to_owned(), v.to_owned()));
                }
            }
            match_parts(rest, &query[end..], out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_uris_are_recognised_without_normalising() {
        for uri in [
            "weather://london/current",
            "config://app",
            "notes://a-b_c.d~e/x:y@z/?q=1&r=2",
            "x+y.z-1://host",
        ] {
            assert!(is_canonical(uri), "{uri}");
        }
        for uri in [
            "file://test",
            "http://example.com",
            "https://example.com/a",
            "Weather://london",
            "weather://New%20York",
            "weather://a/./b",
            "weather://a b",
            "weather://user@host",
            "weather://h/p#frag",
            "no-scheme",
        ] {
            assert!(!is_canonical(uri), "{uri}");
        }
    }

    fn m(t: &str, uri: &str) -> Option<Vec<(String, String)>> {
        UriTemplate::parse(t).unwrap().matches(uri)
    }

    fn pairs(p: &[(&str, &str)]) -> Option<Vec<(String, String)>> {
        Some(p.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect())
    }

    #[test]
    fn simple_variables_match_one_segment() {
        assert_eq!(
            m("test://template/{id}/data", "test://template/42/data"),
            pairs(&[("id", "42")])
        );
        assert_eq!(m("test://template/{id}/data", "test://template/4/2/data"), None);
        assert_eq!(m("users://{a}/{b}", "users://x/y"), pairs(&[("a", "x"), ("b", "y")]));
        assert_eq!(m("users://{a}", "users://"), None);
        assert_eq!(m("users://{a}", "users://x/"), None);
        assert_eq!(
            m("weather://{city}/current", "weather://paris/current"),
            pairs(&[("city", "paris")])
        );
        assert_eq!(m("file://{name}.txt", "file://notes.txt"), pairs(&[("name", "notes")]));
    }

    #[test]
    fn reserved_expansion_spans_slashes() {
        assert_eq!(
            m("file:///{+path}", "file:///a/b/c.txt"),
            pairs(&[("path", "a/b/c.txt")])
        );
        assert_eq!(
            m("repo://{owner}/{+path}/raw", "repo://me/src/lib.rs/raw"),
            pairs(&[("owner", "me"), ("path", "src/lib.rs")])
        );
    }

    #[test]
    fn query_variables_are_optional() {
        assert_eq!(
            m("search://{q}{?limit,page}", "search://cats?limit=5"),
            pairs(&[("q", "cats"), ("limit", "5")])
        );
        assert_eq!(m("search://{q}{?limit}", "search://cats"), pairs(&[("q", "cats")]));
    }

    #[test]
    fn bad_templates_are_rejected() {
        assert!(UriTemplate::parse("x://{a").is_err());
        assert!(UriTemplate::parse("x://a}").is_err());
        assert!(UriTemplate::parse("x://{}").is_err());
        assert!(UriTemplate::parse("x://{a,b}").is_err());
        assert_eq!(UriTemplate::parse("x://{a}/{+b}").unwrap().variables(), ["a", "b"]);
    }
}
