//! JSON string output, fast on long texts.
//!
//! serde_json escapes a string byte by byte through a lookup table. Results often carry long
//! texts (file contents, generated reports, multi-megabyte tool outputs) in which almost
//! nothing needs escaping, so this writer checks sixteen bytes at a time (SSE2 on x86_64,
//! eight with plain integer arithmetic elsewhere) and copies clean runs in the same pass.
//! The bytes written are exactly serde_json's compact form (the tests compare them).
//! `is_clean` runs the same test without writing: a string it passes can be sent as it lies.

#[cfg(any(test, not(target_arch = "x86_64")))]
const ONES: u64 = 0x0101_0101_0101_0101;
#[cfg(any(test, not(target_arch = "x86_64")))]
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether any of the eight bytes in `w` is a control character, `"` or `\`.
/// (x86_64 tests sixteen at a time with SSE2 instead; the tests check both.)
///
/// Classic SWAR tests, exact for "any byte": `x - 0x20*ONES & !x & HIGHS` flags a byte below
/// 0x20; `has_zero(x ^ c*ONES)` flags a byte equal to `c`.
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline(always)]
fn needs_escape(w: u64) -> bool {
    let control = w.wrapping_sub(ONES * 0x20) & !w;
    let quote = w ^ (ONES * u64::from(b'"'));
    let backslash = w ^ (ONES * u64::from(b'\\'));
    let quote = quote.wrapping_sub(ONES) & !quote;
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    (control | quote | backslash) & HIGHS != 0
}

/// The escape serde_json writes for `b`, if it needs one.
#[inline]
fn escape(b: u8, buf: &mut [u8; 6]) -> Option<&[u8]> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match b {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0c => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        0x00..=0x1f => {
            *buf = [
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ];
            return Some(&buf[..]);
        }
        _ => return None,
    };
    buf[0] = b'\\';
    buf[1] = short;
    Some(&buf[..2])
}

/// Copy the whole 16-byte blocks from `i` on that need no escaping straight to `out`, in
/// the same pass that checks them; returns where the copying stopped (a block with something
/// to escape, or fewer than 16 bytes left).
#[cfg(target_arch = "x86_64")]
#[inline]
fn copy_clean_blocks(out: &mut Vec<u8>, bytes: &[u8], mut i: usize) -> usize {
    use std::arch::x86_64::*;
    out.reserve(bytes.len() - i);
    let from = i;
    // SAFETY: SSE2 is part of the x86_64 baseline. Every load reads 16 bytes inside `bytes`;
    // every store writes inside the capacity reserved above (at most `bytes.len() - from`
    // bytes past `out.len()`), and `set_len` covers exactly the bytes stored.
    unsafe {
        let dst = out.as_mut_ptr().add(out.len());
        while i + 16 <= bytes.len() {
            let x = _mm_loadu_si128(bytes.as_ptr().add(i).cast());
            if block_needs_escape(x) {
                break;
            }
            _mm_storeu_si128(dst.add(i - from).cast(), x);
            i += 16;
        }
        out.set_len(out.len() + (i - from));
    }
    i
}

/// Whether any of the sixteen bytes in `x` is a control character, `"` or `\`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn block_needs_escape(x: std::arch::x86_64::__m128i) -> bool {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86_64 baseline; these are register-only operations.
    unsafe {
        let quote = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'\\' as i8));
        // A control character is a byte whose top three bits are all zero.
        let control = _mm_cmpeq_epi8(_mm_and_si128(x, _mm_set1_epi8(0xe0u8 as i8)), _mm_setzero_si128());
        _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control)) != 0
    }
}

/// Whether `s` goes into JSON as it is, between quotes: nothing in it needs escaping.
pub fn is_clean(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut blocks = bytes.chunks_exact(16);
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of the x86_64 baseline; each load reads one 16-byte chunk.
    let clean = blocks.all(|b| !block_needs_escape(unsafe { std::arch::x86_64::_mm_loadu_si128(b.as_ptr().cast()) }));
    #[cfg(not(target_arch = "x86_64"))]
    let clean = blocks.all(|b| {
        let (lo, hi) = b.split_at(8);
        !needs_escape(u64::from_le_bytes(lo.try_into().expect("eight bytes")))
            && !needs_escape(u64::from_le_bytes(hi.try_into().expect("eight bytes")))
    });
    let mut buf = [0u8; 6];
    clean && blocks.remainder().iter().all(|&b| escape(b, &mut buf).is_none())
}

/// The same, eight bytes at a time in a general-purpose register.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn copy_clean_blocks(out: &mut Vec<u8>, bytes: &[u8], mut i: usize) -> usize {
    let from = i;
    while let Some(word) = bytes.get(i..i + 8) {
        if needs_escape(u64::from_le_bytes(word.try_into().expect("eight bytes"))) {
            break;
        }
        i += 8;
    }
    out.extend_from_slice(&bytes[from..i]);
    i
}

/// Append `s` as a JSON string literal (quotes included).
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut buf = [0u8; 6];
    let mut i = 0;
    while i < bytes.len() {
        i = copy_clean_blocks(out, bytes, i);
        // The block with something to escape (or the short tail), byte by byte.
        let end = (i + 16).min(bytes.len());
        let mut clean_from = i;
        while i < end {
            if let Some(esc) = escape(bytes[i], &mut buf) {
                out.extend_from_slice(&bytes[clean_from..i]);
                out.extend_from_slice(esc);
                clean_from = i + 1;
            }
            i += 1;
        }
        out.extend_from_slice(&bytes[clean_from..end]);
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(s: &str) -> String {
        let mut out = Vec::new();
        write_str(&mut out, s);
        String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
    }

    fn same_as_serde(s: &str) {
        assert_eq!(ours(s), serde_json::to_string(s).unwrap(), "for {s:?}");
    }

    #[test]
    fn every_ascii_byte_alone_and_inside_words() {
        for b in 0u8..=0x7f {
            let c = char::from(b);
            same_as_serde(&c.to_string());
            // At every offset of the 16-byte blocks and 8-byte words, and across their edges.
            for at in 0..40 {
                let mut s = "a".repeat(at);
                s.push(c);
                s.push_str(&"z".repeat(40 - at));
                same_as_serde(&s);
            }
        }
    }

    #[test]
    fn every_multibyte_lead_and_continuation_byte_at_every_offset() {
        // Bytes >= 0x80 must never look like control characters or quotes to the block test.
        let samples = (0x80u32..0x800)
            .step_by(7)
            .chain([0x800, 0xfff, 0xffff, 0x10000, 0x10ffff]);
        for c in samples.filter_map(char::from_u32) {
            for at in 0..20 {
                let s = format!("{}{c}\"{}", "a".repeat(at), "z".repeat(20 - at));
                same_as_serde(&s);
            }
        }
    }

    #[test]
    fn unicode_passes_through_unescaped() {
        for s in [
            "héllo wörld",
            "日本語のテキスト",
            "emoji 😀 and more 🚀🚀",
            "\u{7f}\u{80}\u{ff}\u{2028}\u{2029}",
        ] {
            same_as_serde(s);
        }
        // Bytes >= 0xA0 must not look like control characters to the word test.
        same_as_serde(&"\u{a0}\u{e9}\u{ff}".repeat(20));
    }

    #[test]
    fn long_texts_with_scattered_escapes() {
        same_as_serde("");
        same_as_serde(&"x".repeat(10_001));
        let mut s = String::new();
        for i in 0..5000u32 {
            s.push(char::from_u32(32 + (i * 7919) % 95).unwrap());
            if i % 37 == 0 {
                s.push('\n');
            }
            if i % 101 == 0 {
                s.push('"');
            }
            if i % 211 == 0 {
                s.push('\u{1}');
            }
        }
        same_as_serde(&s);
    }

    #[test]
    fn clean_means_serde_writes_it_verbatim() {
        let mut cases: Vec<String> = vec![String::new(), "x".repeat(100_000), "日本語 é 😀".repeat(50)];
        for b in 0u8..=0x7f {
            for at in [0, 5, 15, 16, 17, 31, 33] {
                cases.push(format!("{}{}{}", "a".repeat(at), char::from(b), "z".repeat(40)));
            }
        }
        for s in &cases {
            let verbatim = serde_json::to_string(s).unwrap() == format!("\"{s}\"");
            assert_eq!(is_clean(s), verbatim, "for {s:?}");
        }
    }

    #[test]
    fn word_test_is_exact() {
        // Every single byte in every position of a word, against the byte-wise definition.
        for b in 0u8..=0xff {
            for pos in 0..8 {
                let mut word = [b'a'; 8];
                word[pos] = b;
                let expected = b < 0x20 || b == b'"' || b == b'\\';
                assert_eq!(needs_escape(u64::from_le_bytes(word)), expected, "byte {b:#x} at {pos}");
            }
        }
    }
}
