//! The one hash the cache keys and fingerprints use: XXH3's 128-bit form, stable across
//! platforms, Rust versions and runs (std's hashers promise none of that), and fast
//! enough to hash every page of a 10,000-page book on every build.

use std::fmt;

use xxhash_rust::xxh3::Xxh3;

/// A 128-bit fingerprint of some bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fp(pub u128);

impl Fp {
    /// The fingerprint of `bytes` alone.
    pub fn of(bytes: &[u8]) -> Fp {
        Fp(xxhash_rust::xxh3::xxh3_128(bytes))
    }

    /// 32 lowercase hex digits.
    pub fn hex(self) -> String {
        format!("{:032x}", self.0)
    }

    /// Reads what `hex` wrote.
    pub fn parse(hex: &str) -> Option<Fp> {
        (hex.len() == 32)
            .then(|| u128::from_str_radix(hex, 16).ok())
            .flatten()
            .map(Fp)
    }
}

impl fmt::Display for Fp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

/// Hashes several parts in turn. Each part is written with its length first, so that
/// `("ab", "c")` and `("a", "bc")` never meet.
#[derive(Default, Clone)]
pub struct Hasher(Xxh3);

impl Hasher {
    pub fn new() -> Hasher {
        Hasher::default()
    }

    /// Adds one part.
    pub fn part(&mut self, bytes: impl AsRef<[u8]>) -> &mut Hasher {
        let bytes = bytes.as_ref();
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// Adds a number.
    pub fn number(&mut self, n: u128) -> &mut Hasher {
        self.0.update(&n.to_le_bytes());
        self
    }

    /// Adds a fingerprint made elsewhere.
    pub fn fp(&mut self, fp: Fp) -> &mut Hasher {
        self.number(fp.0)
    }

    pub fn finish(&self) -> Fp {
        Fp(self.0.digest128())
    }
}

/// Raw bytes in, as serde_json writes a value: the value's text is hashed without ever
/// being held whole.
impl std::io::Write for Hasher {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_delimited_and_hex_round_trips() {
        let ab_c = Hasher::new().part("ab").part("c").finish();
        let a_bc = Hasher::new().part("a").part("bc").finish();
        assert_ne!(ab_c, a_bc);
        assert_eq!(Fp::parse(&ab_c.hex()), Some(ab_c));
        assert_eq!(Fp::parse("xyz"), None);
    }
}
