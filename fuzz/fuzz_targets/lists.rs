//! List parsing and analysis: any bytes are refused as text or read as a list; any text is
//! counted line by line, compiles into an engine that answers every request (a verdict or a
//! typed error, never a panic), and round-trips through its own snapshot with the same answers.
//! Lines of the input are also tried as request URLs, so the URL parser and matcher see them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pixelguard::{Engine, Error, ListSource, analyse};

mod seed;

const TYPES: &[&str] = &["image", "script", "sub_frame", "main_frame", "xmlhttprequest", "ping", "beacon", "other", "websocket", "media"];

fuzz_target!(|input: &[u8]| {
    if let Ok(list) = ListSource::from_bytes("raw", "", input) {
        assert!(!list.text.contains('\0'));
    }
    let text = String::from_utf8_lossy(input).into_owned();
    let lines = text.lines().count();
    let list = ListSource::new("fuzz", "", text.clone());

    let info = analyse(&list);
    let counted = info.stats.network as usize + info.stats.cosmetic as usize + info.stats.invalid.len();
    assert!(counted <= lines, "{counted} lines counted of {lines}");
    for invalid in &info.stats.invalid {
        assert!((1..=lines).contains(&(invalid.line as usize)), "invalid line {} of {lines}", invalid.line);
        assert!(invalid.text.chars().count() <= 201, "reported line not cut");
    }

    let engine = Engine::from_lists(&[list, ListSource::new("extra", "", seed::EXTRA)]).expect("distinct, non-empty ids");
    assert_eq!(engine.lists()[0], info);
    let restored = Engine::from_snapshot(&engine.snapshot()).expect("an engine's own snapshot restores");
    assert_eq!(restored.lists(), engine.lists());

    let from_input = text.lines().take(6).enumerate().flat_map(|(i, line)| {
        let kind = TYPES[i % TYPES.len()];
        [(line.to_string(), "https://site.test/".to_string(), kind), (format!("https://{line}"), format!("http://{line}/"), kind)]
    });
    let fixed = seed::REQUESTS.iter().map(|&(u, s, k)| (u.to_string(), s.to_string(), k));
    for (url, source, kind) in fixed.take(6).chain(from_input) {
        let verdict = engine.check(&url, &source, kind);
        match &verdict {
            Ok(_) | Err(Error::BadUrl(_)) => {}
            Err(e) => panic!("{url}: unexpected error {e}"),
        }
        assert_eq!(restored.check(&url, &source, kind), verdict, "{url} after a snapshot round trip");
    }
});
