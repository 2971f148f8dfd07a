//! lists/pixels.txt's first-party shapes (vendors' endpoints on the site's own hosts): real shapes are
//! blocked and labelled; a look-alike set of legitimate requests is not; and on the crawl of top
//! sites in ../shared (ignored when absent, failed under CI) every request they block
//! is a tracker's by an independent oracle — EasyPrivacy or EasyList blocks it too, or its host is
//! in the catalogue. `cargo test --test first_party -- --nocapture` prints the figures per shape.

use std::collections::BTreeMap;

use pixelguard::pixels::{host_and_domain, lookup};
use pixelguard::{Decision, Engine, ListSource, PixelKind};

const PIXELS: &str = include_str!("../../lists/pixels.txt");
const REQUESTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/requests/top-sites-2019.ndjson");
const EASYPRIVACY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/lists/easyprivacy-202607140953.txt");
const EASYLIST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/lists/easylist-202607140953.txt");
const SHOP: &str = "https://www.shop.example/checkout/thanks";

fn engine(id: &str, text: &str) -> Engine {
    Engine::from_lists(&[ListSource::new(id, "", text)]).unwrap()
}

/// The 1-based lines of pixels.txt's first-party section.
fn section() -> std::ops::Range<u32> {
    let header = |l: &str| l.starts_with("! ====");
    let lines: Vec<&str> = PIXELS.lines().collect();
    let start = lines.iter().position(|l| header(l) && l.contains("First-party pixels")).expect("the first-party section") + 1;
    let end = lines[start..].iter().position(|l| header(l)).map_or(lines.len(), |i| start + i);
    start as u32 + 1..end as u32 + 1
}

fn blocked(e: &Engine, url: &str, source: &str, rt: &str) -> bool {
    e.check(url, source, rt).is_ok_and(|v| v.decision == Decision::Blocked)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e} (CI is set: the shared data must be there)"))
}

#[test]
fn first_party_pixel_shapes_are_blocked_and_named() {
    let e = engine("pixels", PIXELS);
    let lines = section();
    for (url, rt, company, kind) in [
        ("https://sgtm.shop.example/g/collect?v=2&tid=G-ABC123XYZ&gtm=45je4&cid=555.666&en=page_view", "ping", "Google", PixelKind::Analytics),
        ("https://metrics.shop.example/gtag/js?id=G-ABC123XYZ", "script", "Google", PixelKind::Analytics),
        ("https://www.shop.example/gtm.js?id=GTM-ABC123", "script", "Google", PixelKind::Analytics),
        ("https://www.shop.example/tr/?id=123456789012345&ev=Purchase&cd[value]=42.00&cd[currency]=USD", "image", "Meta", PixelKind::Conversion),
        ("https://capi.shop.example/tr?id=123456789012345&ev=PageView&noscript=1", "image", "Meta", PixelKind::Conversion),
        ("https://smetrics.shop.example/b/ss/shopprod/1/JS-2.22.0/s61410959151062", "image", "Adobe", PixelKind::Analytics),
        ("https://sstats.shop.example/b/ss/shop-global/10/JS-1.4.1/s1", "image", "Adobe", PixelKind::Analytics),
        ("https://edge.shop.example/ee/irl1/v1/interact?configId=0123abcd-4567-89ef&requestId=1", "xmlhttprequest", "Adobe", PixelKind::Analytics),
        ("https://assets.adobedtm.com/0123abcd/4567ef/launch-EN0123abcd.min.js", "script", "Adobe", PixelKind::Analytics),
        ("https://tags.tiqcdn.com/utag/acme/main/prod/utag.js", "script", "Tealium", PixelKind::Analytics),
        ("https://tags.shop.example/utag/acme/main/prod/utag.js", "script", "Tealium", PixelKind::Analytics),
        ("https://analytics.shop.example/matomo.php?idsite=3&rec=1&action_name=Thanks&_id=0123456789abcdef", "ping", "Matomo", PixelKind::Analytics),
        (
            "https://prf.hn/conversion/tracking_mode:pixel/campaign:1011l123/conversionref:A1B2/value:42.00",
            "image",
            "Partnerize",
            PixelKind::Conversion,
        ),
        (
            "https://www.awin1.com/sread.img?tt=ns&tv=2&merchant=1001&amount=42.00&ref=A1B2&parts=DEFAULT:42.00",
            "image",
            "Awin",
            PixelKind::Conversion,
        ),
        (
            "https://www.shareasale.com/sale.cfm?tracking=A1B2&amount=42.00&merchantID=12345&transtype=sale",
            "image",
            "ShareASale",
            PixelKind::Conversion,
        ),
        (
            "https://track.linksynergy.com/ep?mid=12345&ord=A1B2&skulist=X&qlist=1&amtlist=4200&cur=USD",
            "image",
            "Rakuten Advertising",
            PixelKind::Conversion,
        ),
        (
            "https://tbs.tradedoubler.com/report?organization=123&event=456&orderNumber=A1B2&orderValue=42",
            "image",
            "Tradedoubler",
            PixelKind::Conversion,
        ),
        (
            "https://track.webgains.com/transaction.html?wgver=1.2&wgprogramid=1&wgvalue=42&wgorderreference=A1",
            "image",
            "Webgains",
            PixelKind::Conversion,
        ),
    ] {
        let v = e.check(url, SHOP, rt).unwrap();
        let line = v.filter.as_ref().and_then(|f| f.line).unwrap_or(0);
        assert_eq!((v.decision, v.company.as_deref(), v.kind), (Decision::Blocked, Some(company), Some(kind)), "{url}");
        assert!(lines.contains(&line), "{url}: blocked by line {line}, outside the first-party section");
    }
}

#[test]
fn legitimate_look_alikes_are_not_blocked() {
    let e = engine("pixels", PIXELS);
    for (url, rt) in [
        ("https://www.shop.example/cart/add.js", "xmlhttprequest"),
        ("https://www.shop.example/api/cart?items=3&total=42.00", "xmlhttprequest"),
        ("https://www.shop.example/collections/winter?page=2", "main_frame"),
        ("https://www.shop.example/collections/winter/products.json", "xmlhttprequest"),
        ("https://www.shop.example/orders/A1B2/tracking?id=123456789", "xmlhttprequest"),
        ("https://www.ups.com/track?tracknum=1Z999AA10123456784&loc=en_US", "sub_frame"),
        ("https://www.fedex.com/fedextrack/?trknbr=123456789012", "sub_frame"),
        ("https://tools.usps.com/go/TrackConfirmAction?tLabels=9400100000000000000000", "xmlhttprequest"),
        ("https://cdn.shop.example/img/pixel-art-cat.png", "image"),
        ("https://cdn.shop.example/collections/pixel-art/8bit-hero.gif", "image"),
        ("https://js.stripe.com/v3/", "script"),
        ("https://www.paypal.com/sdk/js?client-id=AbC123&currency=USD", "script"),
        ("https://pay.google.com/gp/p/js/pay.js", "script"),
        ("https://www.google.com/recaptcha/api.js?render=6LcAbC", "script"),
        ("https://js.hcaptcha.com/1/api.js", "script"),
        ("https://challenges.cloudflare.com/turnstile/v0/api.js", "script"),
        ("https://www.shop.example/forms/contact/submit", "xmlhttprequest"),
        ("https://forms.hsforms.com/submissions/v3/public/submit/formsnext/multipart/123/abc", "xmlhttprequest"),
        ("https://www.shop.example/tr/?id=42", "main_frame"),
        ("https://www.shop.example/tr/products?id=12345678&ev=1", "xmlhttprequest"),
        ("https://www.shop.example/blog/b/ss/notes", "main_frame"),
        ("https://www.shop.example/g/collections?v=2&tid=1", "xmlhttprequest"),
        ("https://api.shop.example/v1/interact/messages", "xmlhttprequest"),
        ("https://www.shop.example/js/utag-helpers.js", "script"),
    ] {
        let v = e.check(url, SHOP, rt).unwrap();
        assert_ne!(v.decision, Decision::Blocked, "{url} blocked by {:?}", v.filter);
    }
}

#[test]
#[cfg_attr(not(shared_data), ignore = "needs ../shared/data, absent from this clone")]
fn on_the_crawl_every_first_party_shape_block_is_a_trackers() {
    let (requests, easyprivacy, easylist) = (read(REQUESTS), read(EASYPRIVACY), read(EASYLIST));
    let (pixels, ep, el) = (engine("pixels", PIXELS), engine("easyprivacy", &easyprivacy), engine("easylist", &easylist));
    let lines = section();
    // filter → (blocks, first-party blocks, blocks only this shape makes among the three lists)
    let mut by_shape: BTreeMap<String, (u32, u32, u32)> = BTreeMap::new();
    let mut unconfirmed = Vec::new();
    for line in requests.lines().filter(|l| !l.trim().is_empty()) {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let (Some(url), Some(cpt)) = (row["url"].as_str(), row["cpt"].as_str()) else { continue };
        let frame = row["frameUrl"].as_str().unwrap_or("");
        let source = if frame.starts_with("http") { frame } else { "" };
        let rt = pixelguard::crawl_resource_type(cpt);
        let Ok(v) = pixels.check(url, source, rt) else { continue };
        let Some(filter) = v.filter.filter(|f| v.decision == Decision::Blocked && f.line.is_some_and(|l| lines.contains(&l))) else { continue };
        let first_party = matches!((host_and_domain(url), host_and_domain(source)), (Some((_, a)), Some((_, b))) if a == b);
        let by_lists = blocked(&ep, url, source, rt) || blocked(&el, url, source, rt);
        let catalogued = host_and_domain(url).and_then(|(h, _)| lookup(&h)).is_some();
        let entry = by_shape.entry(filter.text).or_default();
        entry.0 += 1;
        entry.1 += u32::from(first_party);
        entry.2 += u32::from(!by_lists);
        if !by_lists && !catalogued {
            let cut = url.find(['?', '#', ';']).unwrap_or(url.len());
            unconfirmed.push(format!("{} ({rt}) on {}", &url[..cut], source.split('?').next().unwrap_or("")));
        }
    }
    println!("first-party shapes on top-sites-2019 (blocks, of them first-party, of them no other list blocks):");
    for (filter, (n, fp, only)) in &by_shape {
        println!("  {n:5} {fp:5} {only:5}  {filter}");
    }
    println!("blocks no other list confirms and no catalogued tracker's: {}", unconfirmed.len());
    for u in &unconfirmed {
        println!("  {u}");
    }
    assert!(unconfirmed.is_empty(), "first-party shapes block requests no list calls a tracker's:\n{}", unconfirmed.join("\n"));
}
