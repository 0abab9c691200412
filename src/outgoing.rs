//! An outgoing message: serialised JSON whose longest strings may stay where they already
//! are in memory.
//!
//! A tool returning a 10 MB text makes a 20 MB reply (the text, and with structured output
//! the same text again). Copying that into one buffer costs the copy and, more, faulting in
//! 20 MB of fresh pages. So a serialiser may leave a long string that needs no escaping in
//! the object it came from (`splice`) and record where it goes. Transports write the pieces
//! in order (stdio) or pass them on as body frames (HTTP); what needs one buffer (the event
//! log, batches, in-process delivery) joins them.

use bytes::Bytes;

#[derive(Default)]
pub struct Outgoing {
    text: Vec<u8>,
    /// Byte strings that belong in `text` at the given offsets, in increasing order.
    spliced: Vec<(usize, Bytes)>,
}

impl Outgoing {
    /// The serialised bytes so far, to append to.
    pub fn text_mut(&mut self) -> &mut Vec<u8> {
        &mut self.text
    }

    /// Append `bytes` without copying them (they are kept alive by their owner).
    pub fn splice(&mut self, bytes: Bytes) {
        self.spliced.push((self.text.len(), bytes));
    }

    pub fn len(&self) -> usize {
        self.text.len() + self.spliced.iter().map(|(_, b)| b.len()).sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The message in order, as borrowed pieces (none of them empty).
    pub fn pieces(&self) -> impl Iterator<Item = &[u8]> {
        let offsets = self.spliced.iter().map(|(at, _)| *at);
        let starts = std::iter::once(0).chain(offsets.clone());
        let ends = offsets.chain(std::iter::once(self.text.len()));
        let inserts = self.spliced.iter().map(|(_, b)| Some(&b[..])).chain([None]);
        starts
            .zip(ends)
            .zip(inserts)
            .flat_map(|((start, end), insert)| [Some(&self.text[start..end]), insert])
            .flatten()
            .filter(|piece| !piece.is_empty())
    }

    /// The message in order, as shareable pieces: the text is not copied, only split.
    pub fn into_frames(self) -> Vec<Bytes> {
        let mut frames = Vec::with_capacity(2 * self.spliced.len() + 1);
        let mut text = Bytes::from(self.text);
        let mut taken = 0;
        for (offset, bytes) in self.spliced {
            let before = text.split_to(offset - taken);
            taken = offset;
            if !before.is_empty() {
                frames.push(before);
            }
            frames.push(bytes);
        }
        if !text.is_empty() {
            frames.push(text);
        }
        frames
    }

    /// The message as one contiguous buffer (copies the spliced strings in, if any).
    pub fn into_vec(self) -> Vec<u8> {
        if self.spliced.is_empty() {
            return self.text;
        }
        let mut out = Vec::with_capacity(self.len());
        for piece in self.pieces() {
            out.extend_from_slice(piece);
        }
        out
    }
}

impl From<Vec<u8>> for Outgoing {
    fn from(text: Vec<u8>) -> Outgoing {
        Outgoing {
            text,
            spliced: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spliced_message() -> Outgoing {
        let mut m = Outgoing::from(b"{\"a\":\"".to_vec());
        m.splice(Bytes::from_static(b"long"));
        m.text_mut().extend_from_slice(b"\",\"b\":\"");
        m.splice(Bytes::from_static(b"text"));
        m.splice(Bytes::from_static(b"!"));
        m.text_mut().extend_from_slice(b"\"}");
        m
    }

    const WHOLE: &[u8] = b"{\"a\":\"long\",\"b\":\"text!\"}";

    #[test]
    fn the_three_views_agree() {
        let m = spliced_message();
        assert_eq!(m.len(), WHOLE.len());
        assert_eq!(m.pieces().collect::<Vec<_>>().concat(), WHOLE);
        assert!(m.pieces().all(|p| !p.is_empty()));
        assert_eq!(m.into_frames().concat(), WHOLE);
        assert_eq!(spliced_message().into_vec(), WHOLE);
    }

    #[test]
    fn splices_at_the_edges() {
        let mut m = Outgoing::default();
        m.splice(Bytes::from_static(b"first"));
        m.text_mut().push(b'-');
        m.splice(Bytes::from_static(b"last"));
        assert_eq!(m.pieces().collect::<Vec<_>>(), [&b"first"[..], b"-", b"last"]);
        assert_eq!(m.into_frames(), [&b"first"[..], b"-", b"last"]);
    }

    #[test]
    fn a_plain_message_is_its_text() {
        let m = Outgoing::from(b"{}".to_vec());
        assert_eq!(m.pieces().collect::<Vec<_>>(), [&b"{}"[..]]);
        assert_eq!(Outgoing::from(b"{}".to_vec()).into_vec(), b"{}");
        assert!(Outgoing::default().is_empty());
        assert_eq!(Outgoing::default().pieces().count(), 0);
    }
}
