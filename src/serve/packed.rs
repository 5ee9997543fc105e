//! A served file as kept in memory: LZ4-compressed where that makes it smaller (a
//! page's HTML shrinks about fourfold), in parts, so that the print page keeps each
//! chapter apart and an edit re-packs one chapter, not the whole book. With its build
//! fingerprint, which says whether two generations' files differ without comparing them.

use std::sync::Arc;

use bytes::Bytes;

use crate::cache::Fp;

/// One file of a generation.
#[derive(Clone, Debug)]
pub struct Served {
    /// The build's fingerprint of what the file is made from (equal means equal bytes).
    pub fp: Fp,
    parts: Arc<[Part]>,
    len: usize,
}

/// A run of a file's bytes.
#[derive(Clone, Debug)]
pub enum Part {
    Raw(Bytes),
    Lz4 { packed: Bytes, len: usize },
}

/// Below this, compressing costs more than it saves.
const SMALLEST: usize = 512;

impl Part {
    /// `bytes`, compressed when that pays.
    pub fn pack(bytes: &[u8]) -> Part {
        if bytes.len() >= SMALLEST {
            let packed = lz4_flex::block::compress(bytes);
            if packed.len() < bytes.len() - bytes.len() / 8 {
                return Part::Lz4 {
                    packed: Bytes::from(packed),
                    len: bytes.len(),
                };
            }
        }
        Part::Raw(Bytes::copy_from_slice(bytes))
    }

    fn len(&self) -> usize {
        match self {
            Part::Raw(bytes) => bytes.len(),
            Part::Lz4 { len, .. } => *len,
        }
    }

    /// The bytes again.
    pub fn bytes(&self) -> Bytes {
        match self {
            Part::Raw(bytes) => bytes.clone(),
            Part::Lz4 { packed, len } => Bytes::from(
                lz4_flex::block::decompress(packed, *len)
                    .expect("a part decompresses: it was compressed in this process"),
            ),
        }
    }
}

impl Served {
    pub fn new(fp: Fp, parts: Vec<Part>) -> Served {
        let len = parts.iter().map(Part::len).sum();
        Served {
            fp,
            parts: parts.into(),
            len,
        }
    }

    /// One file from its bytes.
    pub fn whole(fp: Fp, bytes: &[u8]) -> Served {
        Served::new(fp, vec![Part::pack(bytes)])
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// The parts, to be unpacked one at a time as they are sent.
    pub fn parts(&self) -> Arc<[Part]> {
        self.parts.clone()
    }

    /// All the bytes at once.
    #[cfg(test)]
    pub fn bytes(&self) -> Vec<u8> {
        self.parts
            .iter()
            .flat_map(|part| part.bytes().to_vec())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_come_back_as_they_went_in() {
        let html = "<li class=\"nav-item\"><a href=\"x.html\">Page</a></li>\n".repeat(200);
        let small = b"tiny".to_vec();
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 32) as u8
            })
            .collect();
        let served = Served::new(
            Fp::of(b"x"),
            vec![
                Part::pack(html.as_bytes()),
                Part::pack(&small),
                Part::pack(&noise),
            ],
        );
        assert!(
            matches!(served.parts()[0], Part::Lz4 { .. }),
            "HTML is packed"
        );
        assert!(
            matches!(served.parts()[1], Part::Raw(_)),
            "tiny parts are not"
        );
        assert!(
            matches!(served.parts()[2], Part::Raw(_)),
            "noise does not shrink"
        );
        let mut expected = html.into_bytes();
        expected.extend(&small);
        expected.extend(&noise);
        assert_eq!(served.len(), expected.len());
        assert_eq!(served.bytes(), expected);
    }
}
