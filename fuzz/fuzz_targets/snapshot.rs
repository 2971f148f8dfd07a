//! Snapshot restore: any bytes are a working engine or a clean `Error::Snapshot`, never a panic,
//! a trap or an out-of-bounds read (run under ASan). Inputs are edits to a real snapshot's
//! adblock bytes, resealed with valid checksums (the attack a rewritten IndexedDB entry mounts),
//! or, when they start with the magic `PXGS`, taken whole.
#![no_main]

use std::hash::Hasher;
use std::sync::OnceLock;

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use pixelguard::{Engine, Error, ListSource};

mod seed;

/// Our header: magic, format, seahash; then the meta length and meta, then adblock's bytes.
const HEADER_LEN: usize = 16;
/// adblock's header: magic (4), format (1), seahash of its data (8), crate version (16).
const ADBLOCK_HEADER_LEN: usize = 29;

#[derive(Arbitrary, Debug)]
enum Edit {
    Overwrite { at: u32, bytes: Vec<u8> },
    SetU32 { at: u32, value: u32 },
    AddU32 { at: u32, delta: i16 },
    Insert { at: u32, bytes: Vec<u8> },
    Remove { at: u32, len: u16 },
    Truncate { len: u32 },
}

struct Seed {
    /// The snapshot up to adblock's data (our header, meta, adblock's header).
    head: Vec<u8>,
    data: Vec<u8>,
}

fn seed() -> &'static Seed {
    static SEED: OnceLock<Seed> = OnceLock::new();
    SEED.get_or_init(|| {
        let lists = [ListSource::new("pixels", "", seed::LIST), ListSource::new("extra", "", seed::EXTRA)];
        let snapshot = Engine::from_lists(&lists).unwrap().snapshot();
        let meta_len = u32::from_le_bytes(snapshot[HEADER_LEN..HEADER_LEN + 4].try_into().unwrap()) as usize;
        let data_at = HEADER_LEN + 4 + meta_len + ADBLOCK_HEADER_LEN;
        Seed { head: snapshot[..data_at].to_vec(), data: snapshot[data_at..].to_vec() }
    })
}

/// The seed's header around `data`, with both checksums made valid for it.
fn seal(data: &[u8]) -> Vec<u8> {
    let mut out = seed().head.clone();
    let adblock_at = out.len() - ADBLOCK_HEADER_LEN;
    out[adblock_at + 5..adblock_at + 13].copy_from_slice(&seahash::hash(data).to_le_bytes());
    let mut ours = seahash::SeaHasher::new();
    ours.write(&out[HEADER_LEN..]);
    out[8..16].copy_from_slice(&ours.finish().to_le_bytes());
    out.extend_from_slice(data);
    out
}

fn apply(data: &mut Vec<u8>, edit: &Edit) {
    let at = |i: u32, len: usize| if len == 0 { 0 } else { i as usize % len };
    match edit {
        Edit::Overwrite { at: i, bytes } => {
            let start = at(*i, data.len());
            let end = (start + bytes.len()).min(data.len());
            data[start..end].copy_from_slice(&bytes[..end - start]);
        }
        Edit::SetU32 { at: i, value } => {
            let start = at(*i, data.len().saturating_sub(3)) & !3;
            if let Some(word) = data.get_mut(start..start + 4) {
                word.copy_from_slice(&value.to_le_bytes());
            }
        }
        Edit::AddU32 { at: i, delta } => {
            let start = at(*i, data.len().saturating_sub(3)) & !3;
            if let Some(word) = data.get_mut(start..start + 4) {
                let value = u32::from_le_bytes((&*word).try_into().unwrap()).wrapping_add(*delta as i32 as u32);
                word.copy_from_slice(&value.to_le_bytes());
            }
        }
        Edit::Insert { at: i, bytes } => {
            let start = at(*i, data.len() + 1);
            data.splice(start..start, bytes.iter().copied());
        }
        Edit::Remove { at: i, len } => {
            let start = at(*i, data.len());
            let end = (start + *len as usize).min(data.len());
            data.drain(start..end);
        }
        Edit::Truncate { len } => data.truncate(*len as usize % (data.len() + 1)),
    }
}

fn exercise(engine: &Engine) {
    for (url, source, kind) in seed::REQUESTS {
        let _ = engine.check(url, source, kind);
    }
    let _ = engine.lists();
    // What it accepted, it writes back as a snapshot that restores to the same engine.
    let again = Engine::from_snapshot(&engine.snapshot()).expect("an engine's own snapshot restores");
    assert_eq!(again.lists(), engine.lists());
    let (url, source, kind) = seed::REQUESTS[0];
    assert_eq!(again.check(url, source, kind), engine.check(url, source, kind));
}

fuzz_target!(|input: &[u8]| {
    let bytes = if input.starts_with(b"PXGS") {
        input.to_vec()
    } else {
        let Ok(edits) = Vec::<Edit>::arbitrary(&mut arbitrary::Unstructured::new(input)) else { return };
        let mut data = seed().data.clone();
        edits.iter().take(16).for_each(|e| apply(&mut data, e));
        seal(&data)
    };
    match Engine::from_snapshot(&bytes) {
        Ok(engine) => exercise(&engine),
        Err(Error::Snapshot(_)) => {}
        Err(e) => panic!("not a snapshot refusal: {e}"),
    }
});
