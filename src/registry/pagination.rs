//! Opaque list cursors. A cursor encodes the offset of the next page; anything that does
//! not decode to one is an invalid-params error, as the spec asks.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

const PREFIX: &str = "o:";

pub fn encode(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("{PREFIX}{offset}"))
}

pub fn decode(cursor: &str) -> Option<usize> {
    let raw = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    std::str::from_utf8(&raw).ok()?.strip_prefix(PREFIX)?.parse().ok()
}

/// The slice of `len` items a page shows, and the cursor of the next page.
/// `page_size == 0` means everything in one page.
pub fn page(
    len: usize,
    cursor: Option<&str>,
    page_size: usize,
) -> Result<(std::ops::Range<usize>, Option<String>), String> {
    let start = match cursor {
        None => 0,
        Some(c) => match decode(c) {
            Some(o) if o <= len => o,
            _ => return Err(format!("Invalid cursor: {c:?}")),
        },
    };
    if page_size == 0 {
        return Ok((start..len, None));
    }
    let end = (start + page_size).min(len);
    let next = (end < len).then(|| encode(end));
    Ok((start..end, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_walk_the_whole_list() {
        let mut seen = vec![];
        let mut cursor: Option<String> = None;
        loop {
            let (range, next) = page(7, cursor.as_deref(), 3).unwrap();
            seen.extend(range);
            match next {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        assert_eq!(seen, (0..7).collect::<Vec<_>>());
    }

    #[test]
    fn unlimited_pages_and_bad_cursors() {
        assert_eq!(page(5, None, 0).unwrap(), (0..5, None));
        assert!(page(5, Some("garbage!"), 2).is_err());
        assert!(page(5, Some(&encode(9)), 2).is_err());
        assert_eq!(page(5, Some(&encode(5)), 2).unwrap(), (5..5, None));
    }
}
