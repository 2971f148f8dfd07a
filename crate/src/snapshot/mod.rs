//! Snapshot format: our header (magic, format, checksum, versions, lists) around adblock's bytes.
//!
//! Layout: `PXGS` | format u32 LE | seahash u64 LE | meta length u32 LE | meta JSON |
//! adblock's serialized engine. A snapshot from another format, crate or adblock version, or one
//! whose checksum fails, is refused with a message; it is never read as something else.
//!
//! Format 2 (performance, see docs/benchmarks.md): our seahash covers the meta and adblock's own
//! header (magic, version, its seahash of the engine data, its crate version), not the engine data
//! itself, which adblock's `deserialize` already seahashes: hashing ~11 MB twice was half of the
//! restore time. Every byte is still covered by one checksum or the other.
//!
//! Any bytes are a working engine or an [`Error::Snapshot`]: checksums prove nothing against a
//! rewritten snapshot (a stored one lives in IndexedDB), and adblock reads bytes of its own
//! version unverified, so [`flat::check`] verifies them before adblock sees them.

mod flat;

use serde::{Deserialize, Serialize};

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::lists::ListInfo;

const MAGIC: &[u8; 4] = b"PXGS";
const FORMAT: u32 = 2;
const HEADER_LEN: usize = 4 + 4 + 8;
/// adblock's serialization header: magic (4), format (1), seahash of its data (8), crate version (16).
const ADBLOCK_HEADER_LEN: usize = 4 + 1 + 8 + 16;
const ADBLOCK_CHECKSUM_AT: usize = 4 + 1;
/// The adblock version pinned in crate/Cargo.toml; a test checks Cargo.lock agrees.
pub const ADBLOCK_VERSION: &str = "0.13.5";

#[derive(Serialize, Deserialize)]
struct Meta {
    pixelguard: String,
    adblock: String,
    lists: Vec<ListInfo>,
}

impl Engine {
    /// Serializes the compiled engine with its list metadata.
    pub fn snapshot(&self) -> Vec<u8> {
        let meta = Meta { pixelguard: env!("CARGO_PKG_VERSION").to_string(), adblock: ADBLOCK_VERSION.to_string(), lists: self.lists.clone() };
        let meta = serde_json::to_vec(&meta).expect("metadata is plain data");
        let mut body = Vec::with_capacity(4 + meta.len());
        body.extend_from_slice(&u32::try_from(meta.len()).expect("metadata under 4 GiB").to_le_bytes());
        body.extend_from_slice(&meta);
        let engine = self.inner.serialize();
        let mut out = Vec::with_capacity(HEADER_LEN + body.len() + engine.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT.to_le_bytes());
        out.extend_from_slice(&checksum(&[&body, &engine[..ADBLOCK_HEADER_LEN.min(engine.len())]]));
        out.extend_from_slice(&body);
        out.extend_from_slice(&engine);
        out
    }

    /// Restores an engine from [`Engine::snapshot`] bytes made by this same build.
    pub fn from_snapshot(bytes: &[u8]) -> Result<Self> {
        let refuse = |why: &str| Error::Snapshot(why.to_string());
        if bytes.len() < HEADER_LEN + 4 || &bytes[..4] != MAGIC {
            return Err(refuse("not a PixelGuard snapshot"));
        }
        let format = u32::from_le_bytes(bytes[4..8].try_into().expect("4 bytes"));
        if format != FORMAT {
            return Err(Error::Snapshot(format!("format {format}, this build reads format {FORMAT}")));
        }
        let rest = &bytes[HEADER_LEN..];
        let corrupt = || refuse("checksum mismatch (corrupt or truncated)");
        let engine_at = engine_offset(rest).ok_or_else(corrupt)?;
        if checksum(&[&rest[..engine_at + ADBLOCK_HEADER_LEN]]) != bytes[8..16] {
            return Err(corrupt());
        }
        let meta_bytes = &rest[4..engine_at];
        let meta: Meta = serde_json::from_slice(meta_bytes).map_err(|e| Error::Snapshot(format!("bad metadata: {e}")))?;
        let ours = (env!("CARGO_PKG_VERSION"), ADBLOCK_VERSION);
        if (meta.pixelguard.as_str(), meta.adblock.as_str()) != ours {
            return Err(Error::Snapshot(format!(
                "made by pixelguard {} with adblock {}, this is pixelguard {} with adblock {}",
                meta.pixelguard, meta.adblock, ours.0, ours.1
            )));
        }
        let engine = &rest[engine_at..];
        if let Err(why) = flat::check(&engine[ADBLOCK_HEADER_LEN..]) {
            // Only now is adblock's checksum worth computing: it tells corruption from forgery.
            let sum_ok = engine[ADBLOCK_CHECKSUM_AT..ADBLOCK_CHECKSUM_AT + 8] == seahash::hash(&engine[ADBLOCK_HEADER_LEN..]).to_le_bytes();
            return Err(if sum_ok { Error::Snapshot(format!("engine data: {why}")) } else { corrupt() });
        }
        let mut inner = adblock::Engine::default();
        inner.deserialize(engine).map_err(|e| match e {
            adblock::engine::DeserializationError::BadChecksum { .. } => corrupt(),
            e => Error::Snapshot(format!("engine data: {e}")),
        })?;
        Ok(Self { inner, lists: meta.lists })
    }
}

/// Where adblock's bytes start in the part after our header, when its own header fits there.
fn engine_offset(rest: &[u8]) -> Option<usize> {
    let meta_len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
    4usize.checked_add(meta_len).filter(|&at| at.checked_add(ADBLOCK_HEADER_LEN).is_some_and(|end| end <= rest.len()))
}

fn checksum(parts: &[&[u8]]) -> [u8; 8] {
    use std::hash::Hasher;
    let mut hasher = seahash::SeaHasher::new();
    parts.iter().for_each(|p| hasher.write(p));
    hasher.finish().to_le_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lists::ListSource;

    fn engine() -> Engine {
        Engine::from_lists(&[ListSource::new("p", "P", "! Version: 7\n||px.test^\n@@||px.test/ok\n")]).unwrap()
    }

    #[test]
    fn round_trip_keeps_verdicts_and_lists() {
        let e = engine();
        let r = Engine::from_snapshot(&e.snapshot()).unwrap();
        assert_eq!(r.lists(), e.lists());
        for url in ["https://px.test/a", "https://px.test/ok", "https://other.test/"] {
            assert_eq!(r.check(url, "https://site.test/", "image").unwrap(), e.check(url, "https://site.test/", "image").unwrap());
        }
    }

    #[test]
    fn every_flipped_byte_is_refused() {
        let snap = engine().snapshot();
        for i in (0..snap.len()).step_by(7) {
            let mut bad = snap.clone();
            bad[i] ^= 0x20;
            assert!(matches!(Engine::from_snapshot(&bad), Err(Error::Snapshot(_))), "byte {i}");
        }
    }

    #[test]
    fn truncated_and_empty_snapshots_are_refused() {
        let snap = engine().snapshot();
        for len in [0, 3, 16, 20, snap.len() / 2, snap.len() - 1] {
            assert!(matches!(Engine::from_snapshot(&snap[..len]), Err(Error::Snapshot(_))), "len {len}");
        }
    }

    #[test]
    fn other_versions_are_refused_by_name() {
        let snap = engine().snapshot();
        let mut bad = snap.clone();
        bad[4] = 9;
        let err = Engine::from_snapshot(&bad).unwrap_err().to_string();
        assert!(err.contains("format 9"), "{err}");

        // Rewrite the metadata as if an older pixelguard had written it, with a valid checksum.
        let ours = format!("\"pixelguard\":\"{}\"", env!("CARGO_PKG_VERSION"));
        let theirs = format!("\"pixelguard\":\"{:.<1$}\"", "0.0.1", env!("CARGO_PKG_VERSION").len());
        let mut forged = snap.clone();
        let at = forged.windows(ours.len()).position(|w| w == ours.as_bytes()).unwrap();
        forged[at..at + theirs.len()].copy_from_slice(theirs.as_bytes());
        let rest = &forged[HEADER_LEN..];
        let sum = checksum(&[&rest[..engine_offset(rest).unwrap() + ADBLOCK_HEADER_LEN]]);
        forged[8..16].copy_from_slice(&sum);
        let err = Engine::from_snapshot(&forged).unwrap_err().to_string();
        assert!(err.contains("pixelguard 0.0.1"), "{err}");
    }

    #[test]
    fn adblock_version_matches_cargo_lock() {
        let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock")).unwrap();
        assert!(lock.contains(&format!("name = \"adblock\"\nversion = \"{ADBLOCK_VERSION}\"")));
    }
}
