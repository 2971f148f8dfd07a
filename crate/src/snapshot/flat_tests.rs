//! Forged snapshots: adblock's bytes rewritten, both checksums made valid again, as a rewritten
//! IndexedDB entry would be. Each is refused with a message; before `flat::check` each was
//! accepted and then panicked (`unreachable`, an index or slice out of range) in adblock.

use super::super::{ADBLOCK_HEADER_LEN, HEADER_LEN, checksum, engine_offset};
use super::*;
use crate::{Engine, Error, ListSource};

const LIST: &str = "||px.test^\n||px.test/a.gif|\n/^https:\\/\\/rx\\.test\\/[0-9]+/\n@@||px.test/ok\n||imp.test^$important\n";
const REQUESTS: [(&str, &str, &str); 4] = [
    ("https://px.test/a.gif", "https://site.test/", "image"),
    ("https://rx.test/42", "https://site.test/", "image"),
    ("https://px.test/ok", "https://site.test/", "image"),
    ("https://imp.test/p", "https://site.test/", "ping"),
];

fn snapshot() -> Vec<u8> {
    Engine::from_lists(&[ListSource::new("p", "", LIST)]).unwrap().snapshot()
}

/// Where adblock's data (after its header) starts in a snapshot.
fn data_at(snapshot: &[u8]) -> usize {
    HEADER_LEN + engine_offset(&snapshot[HEADER_LEN..]).unwrap() + ADBLOCK_HEADER_LEN
}

/// `snapshot` with its adblock data edited by `edit`, both checksums valid again.
fn forge(edit: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let snap = snapshot();
    let at = data_at(&snap);
    let (mut out, mut data) = (snap[..at].to_vec(), snap[at..].to_vec());
    edit(&mut data);
    out[at - ADBLOCK_HEADER_LEN + 5..at - ADBLOCK_HEADER_LEN + 13].copy_from_slice(&seahash::hash(&data).to_le_bytes());
    let sum = checksum(&[&out[HEADER_LEN..]]);
    out[8..16].copy_from_slice(&sum);
    out.extend_from_slice(&data);
    out
}

/// Asserts `bytes` are refused with a message containing `why`; an engine they make is asked
/// every request first, so a forgery that got through fails here as it failed in the extension.
fn assert_refused(bytes: &[u8], why: &str) {
    match Engine::from_snapshot(bytes) {
        Err(Error::Snapshot(message)) => assert!(message.contains(why), "refused, but for {message:?}, not {why:?}"),
        Err(e) => panic!("not a snapshot refusal: {e}"),
        Ok(engine) => {
            for (url, source, kind) in REQUESTS {
                let _ = engine.check(url, source, kind);
            }
            panic!("forged snapshot accepted (expected a refusal for {why:?})");
        }
    }
}

/// Table `i` of the vector of tables `vector`.
fn table_in(flat: &Flat, vector: Vector, i: usize) -> Table {
    flat.table(flat.offset(vector.element(i).unwrap()).unwrap()).unwrap()
}

fn network_list(flat: &Flat, list: usize) -> Table {
    table_in(flat, flat.vector(flat.root().unwrap(), slot::NETWORK_RULES, 4).unwrap().unwrap(), list)
}

/// Every filter table of every list's two maps.
fn filters(data: &[u8]) -> Vec<Table> {
    let flat = Flat(data);
    let mut out = Vec::new();
    for list in 0..NETWORK_LISTS {
        for values in [slot::FILTER_MAP_VALUES, slot::OPT_DOMAINS_MAP_VALUES] {
            let values = flat.vector(network_list(&flat, list), values, 4).unwrap().unwrap();
            out.extend((0..values.len).map(|f| table_in(&flat, values, f)));
        }
    }
    out
}

fn mask(data: &[u8], filter: Table) -> NetworkFilterMask {
    let mask = Flat(data).scalar::<4>(filter, slot::MASK).unwrap().map_or(DEFAULT_MASK, u32::from_le_bytes);
    NetworkFilterMask::from_bits_retain(mask)
}

fn set_u32(data: &mut [u8], at: usize, value: u32) {
    data[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

/// The (position of the length, length) of the vector field `slot` of list `list`.
fn list_vector(data: &[u8], list: usize, slot: usize) -> (usize, usize) {
    let flat = Flat(data);
    let vector = flat.vector(network_list(&flat, list), slot, 4).unwrap().unwrap();
    (vector.start - 4, vector.len)
}

/// The list (by id) holding the most filters: the one a forgery edits.
fn fullest_list(data: &[u8]) -> usize {
    (0..NETWORK_LISTS).max_by_key(|&l| list_vector(data, l, slot::FILTER_MAP_VALUES).1).unwrap()
}

#[test]
fn the_unforged_snapshot_passes() {
    let snap = forge(|_| {});
    let engine = Engine::from_snapshot(&snap).unwrap();
    assert_eq!(engine.check(REQUESTS[1].0, REQUESTS[1].1, REQUESTS[1].2).unwrap().decision, crate::Decision::Blocked);
    check(&snap[data_at(&snap)..]).unwrap();
}

#[test]
fn truncated_data_is_refused() {
    // Found by the snapshot fuzz target: a panic in adblock's FilterDataContext::new.
    for keep in [0, 3, 40, 1000] {
        assert_refused(&forge(|d| d.truncate(keep)), "engine data");
    }
}

#[test]
fn a_vector_longer_than_the_buffer_is_refused() {
    // Was an out-of-bounds read (ASan: heap-buffer-overflow) or a slice panic in matching.
    let forged = forge(|d| {
        let (at, _) = list_vector(d, fullest_list(d), slot::FILTER_MAP_INDEX);
        set_u32(d, at, 0x4000_0000);
    });
    assert_refused(&forged, "engine data");
}

#[test]
fn a_string_that_is_not_utf8_is_refused() {
    let forged = forge(|d| {
        let at = d.windows(7).position(|w| w == b"px.test").unwrap();
        d[at] = 0xff;
    });
    assert_refused(&forged, "engine data");
}

#[test]
fn fewer_network_lists_are_refused() {
    // Was a panic: adblock indexes its eight lists by id without a check.
    let forged = forge(|d| {
        let flat = Flat(d);
        let at = flat.offset(flat.field(flat.root().unwrap(), slot::NETWORK_RULES).unwrap().unwrap()).unwrap();
        set_u32(d, at, 7);
    });
    assert_refused(&forged, "not the eight network filter lists");
}

#[test]
fn a_filter_map_with_fewer_values_than_keys_is_refused() {
    // Was a panic in adblock's FlatMultiMapView (values.get past the end).
    let forged = forge(|d| {
        let list = fullest_list(d);
        let (at, len) = list_vector(d, list, slot::FILTER_MAP_VALUES);
        set_u32(d, at, len as u32 - 1);
    });
    assert_refused(&forged, "more keys than filters");
}

#[test]
fn an_unsorted_filter_map_index_is_refused() {
    let forged = forge(|d| {
        let (at, len) = list_vector(d, fullest_list(d), slot::FILTER_MAP_INDEX);
        assert!(len >= 2);
        let (a, b) = (Flat(d).u32(at + 4).unwrap(), Flat(d).u32(at + 8).unwrap());
        assert_ne!(a, b, "the test list's first two keys differ");
        set_u32(d, at + 4, b);
        set_u32(d, at + 8, a);
    });
    assert_refused(&forged, "not sorted");
}

#[test]
fn a_hostname_anchored_filter_without_its_hostname_is_refused() {
    // Was `unreachable!()` in adblock's check_pattern_hostname_*: a trap in wasm.
    let forged = forge(|d| {
        let filter = filters(d).into_iter().find(|&f| mask(d, f).contains(NetworkFilterMask::IS_HOSTNAME_ANCHOR)).unwrap();
        let entry = filter.vtable + 4 + 2 * slot::HOSTNAME;
        d[entry..entry + 2].copy_from_slice(&[0, 0]);
    });
    assert_refused(&forged, "without a hostname");
}

#[test]
fn a_regex_filter_not_between_slashes_is_refused() {
    // Was a slice panic: adblock strips the slashes as `pattern[1..len - 1]`.
    let forged = forge(|d| {
        let filter = filters(d).into_iter().find(|&f| mask(d, f).contains(NetworkFilterMask::IS_COMPLETE_REGEX)).unwrap();
        let flat = Flat(d);
        let at = flat.offset(flat.field(filter, slot::SINGLE_PATTERN).unwrap().unwrap()).unwrap();
        set_u32(d, at, 1);
        d[at + 5] = 0; // the NUL the verifier wants after a string
    });
    assert_refused(&forged, "not written /…/");
}

/// adblock's own engine over `rules` (all kinds, with or without their texts), in our format.
fn snapshot_of(rules: &str, debug: bool) -> Vec<u8> {
    let mut set = adblock::lists::FilterSet::new(debug);
    set.add_filter_list(rules.to_string(), adblock::lists::ParseOptions::default());
    Engine { inner: adblock::Engine::new_with_filter_set_no_optimize(set), lists: Vec::new() }.snapshot()
}

#[test]
fn an_engine_without_filter_texts_is_refused() {
    assert_refused(&snapshot_of("||px.test^", false), "without filter texts");
}

#[test]
fn an_engine_with_cosmetic_filters_is_verified_and_restores() {
    let snap = snapshot_of("||px.test^\n##.ad\n###banner > .x\n.ad-box img\nshop.test##.banner\nshop.test#@#.ad\nshop.test##+js(noop)\n", true);
    check(&snap[data_at(&snap)..]).unwrap();
    let engine = Engine::from_snapshot(&snap).unwrap();
    assert_eq!(engine.check("https://px.test/", "https://shop.test/", "image").unwrap().decision, crate::Decision::Blocked);
}

#[test]
fn corruption_is_still_named_a_checksum_mismatch() {
    let mut snap = snapshot();
    let at = snap.windows(7).rposition(|w| w == b"px.test").unwrap();
    snap[at] = 0xff;
    assert_refused(&snap, "checksum mismatch");
}

#[test]
fn a_misaligned_domain_hash_vector_is_refused() {
    // adblock casts it to a &[u64] and asserts the alignment.
    let forged = forge(|d| {
        let flat = Flat(d);
        let field = flat.field(flat.root().unwrap(), slot::UNIQUE_DOMAINS_HASHES).unwrap().unwrap();
        let target = flat.offset(field).unwrap();
        set_u32(d, field, (target - field + 4) as u32);
    });
    assert_refused(&forged, "engine data");
}
