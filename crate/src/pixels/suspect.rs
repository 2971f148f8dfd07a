//! List-less detection: scores a reported image or beacon for looking like a tracking pixel.

use serde::{Deserialize, Serialize};

use super::catalogue::lookup;
use super::context::{gmail_proxy_target, host_and_domain, path_of};

/// What a content script (or the request observer) reports about one image or beacon.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PixelReport {
    /// The image or beacon URL (a Gmail proxy URL with its `#original` is read as the original).
    pub url: String,
    /// The page (or frame) URL.
    #[serde(alias = "pageUrl", alias = "source")]
    pub source_url: String,
    /// webRequest/DNR resource type; empty reads as `image`.
    #[serde(alias = "type")]
    pub resource_type: String,
    /// Rendered size in CSS pixels, when known.
    pub width: Option<f64>,
    pub height: Option<f64>,
    /// The image's intrinsic size, when loaded; unknown (absent) for a CSS background image, which
    /// is then scored on its element's rendered size.
    pub natural_width: Option<f64>,
    pub natural_height: Option<f64>,
    /// `display: none`, `visibility: hidden`, zero opacity, or off-screen.
    pub hidden: bool,
    /// How many times the same URL appears on the page (spacers repeat).
    #[serde(alias = "count")]
    pub repeats: u32,
}

/// A clue a report scored for (or one that rules it out), listed in [`Suspicion::reasons`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Clue {
    ThirdParty,
    Tiny,
    Hidden,
    Beacon,
    IdentifierInQuery,
    IdentifierInPath,
    TrackingPath,
    PixelFile,
    KnownTracker,
    /// Disqualifies: same site as the page.
    FirstParty,
    /// Disqualifies: the same URL appears 5 or more times on the page (a spacer).
    Repeated,
    /// Disqualifies: not an http(s) URL.
    NotHttp,
}

/// The verdict on a report: suspected or not, the score and the reasons behind it, and the host
/// and registrable domain a "Block this host" rule would name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Suspicion {
    pub suspected: bool,
    pub score: u32,
    pub reasons: Vec<Clue>,
    pub host: Option<String>,
    pub domain: Option<String>,
    /// The catalogue's company for the host, when known.
    pub company: Option<String>,
}

/// Score at or above which a third-party, pixel-shaped request is suspected.
pub const THRESHOLD: u32 = 6;
/// Repeats at or above which an image is a spacer, not a pixel.
pub const SPACER_REPEATS: u32 = 5;
/// Width and height (CSS or natural pixels) at or under which an image is tiny.
pub const TINY_PIXELS: f64 = 3.0;

/// Scores a report. Suspected = third-party, pixel-shaped (tiny, hidden, or a ping/beacon), not
/// repeated as a spacer, and a score ≥ [`THRESHOLD`] from: third-party 2, tiny 3, hidden 2 (1 when
/// also tiny), ping/beacon 3, long high-entropy identifier in the query 2 / in the path 1,
/// open/track/collect-like path 2, pixel-like file name 1, catalogue tracker 2.
pub fn suspect(report: &PixelReport) -> Suspicion {
    let url = gmail_proxy_target(&report.url).unwrap_or(&report.url);
    let mut reasons = Vec::new();
    let mut score = 0;
    let mut add = |clue: Clue, points: u32, reasons: &mut Vec<Clue>| {
        reasons.push(clue);
        score += points;
    };
    let http = url.starts_with("http://") || url.starts_with("https://");
    let target = host_and_domain(url).filter(|_| http);
    let (host, domain) = target.clone().unzip();
    let company = host.as_deref().and_then(lookup).map(|e| e.company.to_string());
    if target.is_none() {
        reasons.push(Clue::NotHttp);
    }

    let page_domain = host_and_domain(&report.source_url).map(|(_, d)| d);
    let third_party = match (&domain, &page_domain) {
        (Some(d), Some(p)) => d != p,
        (Some(_), None) => true,
        _ => false,
    };
    if third_party {
        add(Clue::ThirdParty, 2, &mut reasons);
    } else if target.is_some() {
        reasons.push(Clue::FirstParty);
    }

    let tiny = |w: Option<f64>, h: Option<f64>| matches!((w, h), (Some(w), Some(h)) if w <= TINY_PIXELS && h <= TINY_PIXELS);
    let is_tiny = tiny(report.width, report.height) || tiny(report.natural_width, report.natural_height);
    let beacon = matches!(report.resource_type.as_str(), "ping" | "beacon");
    if is_tiny {
        add(Clue::Tiny, 3, &mut reasons);
    }
    if report.hidden {
        add(Clue::Hidden, if is_tiny { 1 } else { 2 }, &mut reasons);
    }
    if beacon {
        add(Clue::Beacon, 3, &mut reasons);
    }

    let path_and_query = path_of(url);
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    if query.split('&').filter_map(|kv| kv.split_once('=')).any(|(_, v)| is_identifier(v)) {
        add(Clue::IdentifierInQuery, 2, &mut reasons);
    }
    if path.split(['/', ';', ',']).any(|segment| segment.len() >= 20 && is_identifier(segment)) {
        add(Clue::IdentifierInPath, 1, &mut reasons);
    }
    if has_tracking_path(path) {
        add(Clue::TrackingPath, 2, &mut reasons);
    }
    if has_pixel_file(path) {
        add(Clue::PixelFile, 1, &mut reasons);
    }
    if company.is_some() {
        add(Clue::KnownTracker, 2, &mut reasons);
    }
    let repeated = report.repeats >= SPACER_REPEATS;
    if repeated {
        reasons.push(Clue::Repeated);
    }

    let suspected = third_party && !repeated && (is_tiny || report.hidden || beacon) && score >= THRESHOLD;
    Suspicion { suspected, score, reasons, host, domain, company }
}

/// A long, high-entropy token such as a user, message or click id: ≥ 16 characters of an
/// id alphabet, mixing letters and digits (or upper and lower case), ≥ 3 bits of entropy per
/// character. URLs, words and timestamps do not qualify.
fn is_identifier(value: &str) -> bool {
    let value = value.trim_end_matches('=');
    if value.len() < 16 || value.len() > 2048 {
        return false;
    }
    if !value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'%' | b'~' | b'+')) {
        return false;
    }
    if value.contains("%2F") || value.contains("%2f") || value.contains("%3A") || value.contains("%3a") {
        return false;
    }
    let digits = value.bytes().any(|b| b.is_ascii_digit());
    let lower = value.bytes().any(|b| b.is_ascii_lowercase());
    let upper = value.bytes().any(|b| b.is_ascii_uppercase());
    if !((digits && (lower || upper)) || (lower && upper)) {
        return false;
    }
    entropy(value) >= 3.0
}

/// Shannon entropy in bits per character.
fn entropy(text: &str) -> f64 {
    let mut counts = [0u32; 256];
    text.bytes().for_each(|b| counts[b as usize] += 1);
    let n = text.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Words that name a tracking endpoint, anywhere in the path.
const TRACKING_WORDS: &[&str] = &[
    "open",
    "opens",
    "opened",
    "track",
    "tracking",
    "tracker",
    "trace",
    "trk",
    "collect",
    "pixel",
    "pixels",
    "px",
    "beacon",
    "ping",
    "impression",
    "impressions",
    "imp",
    "pageview",
    "pview",
    "event",
    "events",
    "hit",
    "log",
    "count",
    "counter",
    "stats",
    "analytics",
    "read",
    "receipt",
];
/// Whole path segments email senders use for open pixels (`/o/`, `/e/o/`, `/tr/op/`, `/oo/`, …).
const TRACKING_SEGMENTS: &[&str] = &["o", "op", "oo", "to", "tr", "wf", "e1t", "e2t", "i0", "q", "t"];

fn has_tracking_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.split('/').any(|s| TRACKING_SEGMENTS.contains(&s)) || lower.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| TRACKING_WORDS.contains(&w))
}

/// A file name typical of a pixel: `*.gif`, `1x1.*`, `p.png`, `o.gif`, `pixel.*`.
fn has_pixel_file(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
    let stem = file.split('.').next().unwrap_or("");
    let spacer = ["spacer", "blank", "transparent", "clear", "trans"].contains(&stem);
    !spacer && (file.ends_with(".gif") || ["1x1", "p", "o", "t", "pixel", "px", "b"].contains(&stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(url: &str, page: &str, size: Option<(f64, f64)>) -> PixelReport {
        PixelReport {
            url: url.into(),
            source_url: page.into(),
            resource_type: "image".into(),
            width: size.map(|s| s.0),
            height: size.map(|s| s.1),
            natural_width: size.map(|s| s.0),
            natural_height: size.map(|s| s.1),
            ..Default::default()
        }
    }

    const MAIL: &str = "https://mail.google.com/mail/u/0/";
    const SHOP: &str = "https://shop.example/";

    #[test]
    fn unlisted_one_by_one_third_party_images_are_suspected() {
        let s = suspect(&report("http://pixel-host.test/p.gif?uid=8f3a9c0d2b7e4f61a5c3", "http://site.test/", Some((1.0, 1.0))));
        assert!(s.suspected, "{s:?}");
        assert_eq!(s.host.as_deref(), Some("pixel-host.test"));
        assert!(s.reasons.contains(&Clue::ThirdParty) && s.reasons.contains(&Clue::Tiny));
        assert!(s.reasons.contains(&Clue::IdentifierInQuery), "{s:?}");

        // Real sender shapes on a custom tracking domain.
        for url in [
            "https://email.news.acme-shop.com/o/eJwNy0EOgyAQQNGzuDZpEJDCqjGZ2XHTM1QcSXSIVJuH7m7n",
            "https://links.acme-shop.com/wf/open?upn=u001.Z9f2aQkP3xLr-2Bq7vWm8N1cYtH4sB6eJ0gUoDi",
            "https://trk.acme-shop.com/e/o/eyJlbWFpbF9pZCI6IjEyMzQ1Njc4OTAifQ==",
            "https://t.sidekickopen70.com/e1t/o/5/f18dQhb0S7kF8cpgqW7MvNF6W1p8zZ22q0C8BW2BxTQx7f3gNV1k2",
        ] {
            let s = suspect(&report(url, MAIL, Some((1.0, 1.0))));
            assert!(s.suspected, "{url}: {s:?}");
            assert!(s.reasons.contains(&Clue::TrackingPath), "{url}: {s:?}");
        }
    }

    #[test]
    fn gmail_proxy_reports_are_read_as_the_original() {
        let url = "https://ci3.googleusercontent.com/proxy/Xy12=s0-d-e1-ft#https://mailtrack.io/trace/mail/0123456789abcdef0123456789abcdef01234567.png?u=1234567";
        let s = suspect(&report(url, MAIL, Some((0.0, 0.0))));
        assert!(s.suspected, "{s:?}");
        assert_eq!(s.company.as_deref(), Some("Mailtrack"));
        assert!(s.reasons.contains(&Clue::KnownTracker));
    }

    #[test]
    fn hidden_images_and_beacons_count_as_pixel_shaped() {
        let mut r = report("https://collector.metrics-co.test/collect?cid=1f8e7d6c5b4a39281706f5e4&t=pv", SHOP, Some((300.0, 250.0)));
        r.hidden = true;
        assert!(suspect(&r).suspected, "{:?}", suspect(&r));

        let beacon = PixelReport {
            url: "https://events.metrics-co.test/v1/track?sid=Ab3dE6gH9jK2mN5pQ8sT".into(),
            source_url: SHOP.into(),
            resource_type: "beacon".into(),
            ..Default::default()
        };
        let s = suspect(&beacon);
        assert!(s.suspected && s.reasons.contains(&Clue::Beacon), "{s:?}");
    }

    #[test]
    fn spacers_first_party_and_ordinary_images_are_not() {
        let mut spacer = report("https://cdn.partner.test/img/dot.gif?v=Ab3dE6gH9jK2mN5pQ8sT", SHOP, Some((1.0, 1.0)));
        spacer.repeats = 12;
        let s = suspect(&spacer);
        assert!(!s.suspected && s.reasons.contains(&Clue::Repeated), "{s:?}");

        let first = suspect(&report("https://shop.example/p.gif?uid=8f3a9c0d2b7e4f61a5c3", SHOP, Some((1.0, 1.0))));
        assert!(!first.suspected && first.reasons.contains(&Clue::FirstParty), "{first:?}");

        let banner =
            suspect(&report("https://images.cdn.test/products/shoe-1200x800.jpg?w=600&sig=Ab3dE6gH9jK2mN5pQ8sT", SHOP, Some((600.0, 400.0))));
        assert!(!banner.suspected, "{banner:?}");

        let spacer_once = suspect(&report("https://static.cdn.test/img/spacer.gif", SHOP, Some((1.0, 1.0))));
        assert!(!spacer_once.suspected, "{spacer_once:?}");

        let data = suspect(&report("data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==", SHOP, Some((1.0, 1.0))));
        assert!(!data.suspected && data.reasons.contains(&Clue::NotHttp), "{data:?}");
    }

    /// A CSS background image: its element's rendered size, no natural size (the content script does
    /// not load the image to learn it).
    fn background(url: &str, page: &str, width: f64, height: f64) -> PixelReport {
        PixelReport { url: url.into(), source_url: page.into(), width: Some(width), height: Some(height), ..Default::default() }
    }

    #[test]
    fn background_images_are_scored_on_their_element_size() {
        let bg = suspect(&background("https://some-unlisted-tracker.test/bg.gif?uid=Kd82nLq0Zx5Vb7Mw3Rt1", SHOP, 1.0, 1.0));
        assert!(bg.suspected, "{bg:?}");
        assert!(bg.reasons.contains(&Clue::Tiny) && bg.reasons.contains(&Clue::IdentifierInQuery), "{bg:?}");
        assert_eq!(bg.host.as_deref(), Some("some-unlisted-tracker.test"));

        let mut hidden = background("https://bg.metrics-co.test/v/collect?cid=1f8e7d6c5b4a39281706f5e4", SHOP, 40.0, 40.0);
        hidden.hidden = true;
        assert!(suspect(&hidden).suspected, "{:?}", suspect(&hidden));

        // A hero from an image CDN, signed URL and all, shown at full size: not pixel-shaped.
        let hero = suspect(&background("https://images.cdn.test/hero/summer-1600x600.jpg?sig=Ab3dE6gH9jK2mN5pQ8sT", SHOP, 1280.0, 480.0));
        assert!(!hero.suspected, "{hero:?}");
        let first = suspect(&background("https://shop.example/img/dot.gif?uid=8f3a9c0d2b7e4f61a5c3", SHOP, 1.0, 1.0));
        assert!(!first.suspected && first.reasons.contains(&Clue::FirstParty), "{first:?}");
    }

    #[test]
    fn identifiers_are_long_and_random_not_words_or_urls() {
        assert!(is_identifier("8f3a9c0d2b7e4f61a5c3"));
        assert!(is_identifier("eyJlbWFpbF9pZCI6IjEyMzQ1Njc4OTAifQ=="));
        assert!(is_identifier("u001.Z9f2aQkP3xLr-2Bq7vWm8N1cYtH4sB6eJ0gUoDi"));
        assert!(!is_identifier("newsletter_summer_sale"));
        assert!(!is_identifier("1700000000000"));
        assert!(!is_identifier("https%3A%2F%2Fshop.example%2Fcart"));
        assert!(!is_identifier("abc123"));
        assert!(!is_identifier("aaaaaaaaaaaaaaaa1111"));
    }

    #[test]
    fn reports_deserialize_from_content_script_objects() {
        let r: PixelReport = serde_json::from_str(
            r#"{"url":"https://x.test/o.gif","pageUrl":"https://mail.google.com/","type":"image","width":1,"height":1,"naturalWidth":1,"naturalHeight":1,"hidden":false,"count":2}"#,
        )
        .unwrap();
        assert_eq!((r.source_url.as_str(), r.repeats, r.natural_width), ("https://mail.google.com/", 2, Some(1.0)));
    }
}
