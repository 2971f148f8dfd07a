//! Pixel kinds: what a matched request reports, named from its annotation, page, URL and host.

use serde::{Deserialize, Serialize};

use super::catalogue::Category;
use super::context::host_and_domain;
use super::webmail::{is_webmail, mail_proxy};

/// What a tracking request reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PixelKind {
    /// That an email was opened.
    EmailOpen,
    /// A purchase, sign-up or other conversion, to an ad platform.
    Conversion,
    /// A visit, to build ad audiences or match IDs between ad companies.
    Retargeting,
    /// A page view or event, to an analytics service.
    Analytics,
    /// Another tracker.
    Other,
}

impl PixelKind {
    /// The kebab-case name used in lists and JSON (`email-open`, …); `None` for other text.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.trim() {
            "email-open" => Self::EmailOpen,
            "conversion" => Self::Conversion,
            "retargeting" => Self::Retargeting,
            "analytics" => Self::Analytics,
            "other" => Self::Other,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::EmailOpen => "email-open",
            Self::Conversion => "conversion",
            Self::Retargeting => "retargeting",
            Self::Analytics => "analytics",
            Self::Other => "other",
        }
    }
}

/// The facts the classifier reads about one matched request.
#[derive(Debug, Clone, Copy)]
pub struct KindFacts<'a> {
    pub url: &'a str,
    /// The page (or frame) that made the request; empty when unknown.
    pub source_url: &'a str,
    /// webRequest/DNR resource type (`image`, `ping`, `beacon`, `xmlhttprequest`, `script`, …).
    pub resource_type: &'a str,
    /// The `kind=` of the filter's list annotation.
    pub annotated: Option<PixelKind>,
    /// The request host's catalogue category.
    pub category: Option<Category>,
}

/// Names a request's kind. In order: the list annotation; an email context (a webmail page
/// loading a third-party image, or a webmail image-proxy URL) → email-open; the URL's shape
/// (conversion events, email-open paths, audience and ID-sync endpoints, analytics hits); the
/// host's catalogue category together with the resource type and page (an email sender's image
/// is an email open outside web pages, its web tracking inside one); ping/beacon → analytics;
/// else other.
pub fn classify(facts: &KindFacts<'_>) -> PixelKind {
    if let Some(kind) = facts.annotated {
        return kind;
    }
    let image_like = matches!(facts.resource_type, "image" | "imageset" | "ping" | "beacon" | "other" | "");
    let proxied = mail_proxy(facts.url);
    let target = proxied.as_ref().map_or(facts.url, |p| &p.original);
    let webmail = is_webmail(facts.source_url);
    if image_like && (proxied.is_some() || (webmail && !same_site(target, facts.source_url))) {
        return PixelKind::EmailOpen;
    }
    // An ordinary web page is not an email: an email sender's image there is its web tracking.
    let in_web_page = !webmail && host_and_domain(facts.source_url).is_some();
    let ad_host = matches!(facts.category, Some(Category::Advertising | Category::Social | Category::Identity));
    if let Some(kind) = kind_from_shape(target, ad_host) {
        return kind;
    }
    match facts.category {
        Some(Category::Email) if image_like && !in_web_page => PixelKind::EmailOpen,
        Some(Category::Email | Category::Analytics | Category::TagManager) => PixelKind::Analytics,
        Some(Category::Advertising | Category::Social | Category::Identity) => PixelKind::Retargeting,
        _ if matches!(facts.resource_type, "ping" | "beacon") => PixelKind::Analytics,
        _ => PixelKind::Other,
    }
}

fn same_site(a: &str, b: &str) -> bool {
    matches!((host_and_domain(a), host_and_domain(b)), (Some((_, x)), Some((_, y))) if x == y)
}

/// Event names that report a conversion, as ad platforms' pixels send them (lowercased).
const CONVERSION_EVENTS: &[&str] = &[
    "purchase",
    "lead",
    "completeregistration",
    "complete_registration",
    "addtocart",
    "add_to_cart",
    "initiatecheckout",
    "initiate_checkout",
    "begin_checkout",
    "checkout",
    "addpaymentinfo",
    "add_payment_info",
    "subscribe",
    "starttrial",
    "start_trial",
    "submitapplication",
    "signup",
    "sign_up",
    "schedule",
    "contact",
    "placeanorder",
    "completepayment",
    "conversion",
    "order",
];
/// Query keys that carry an event name.
const EVENT_KEYS: &[&str] = &["ev", "event", "en", "evt", "ea", "tag", "event_name", "eventname", "ec"];
/// Query keys that only conversions carry (order value, order id).
const CONVERSION_KEYS: &[&str] = &["value", "revenue", "gv", "order_id", "orderid", "transaction_id", "ord", "cd[value]"];
/// Path pieces of email-open pixels, shared across senders.
const EMAIL_OPEN_PATHS: &[&str] = &[
    "/track/open",
    "/wf/open",
    "/e/o/",
    "/open.aspx",
    "/tr/op/",
    "/e1t/o/",
    "/e2t/o/",
    "/e2t/to/",
    "/e/footerimages/",
    "/trace/mail/",
    "/pub/as",
    "/on.jsp",
    "/open.php",
    "/open.html",
    "/oo/",
];
/// Path pieces of conversion endpoints.
const CONVERSION_PATHS: &[&str] = &[
    "/pagead/conversion",
    "/pagead/1p-conversion",
    "/viewthroughconversion/",
    "/activity;",
    "/activityi;",
    "/ddm/activity",
    "/trackpoint/",
    "/conversion",
    "/conv/",
    "/px?",
    "/sale.cfm",
    "/sread.",
    "/transaction.html",
];
/// Path pieces of audience-building and ID-sync (cookie-matching) endpoints.
const RETARGETING_PATHS: &[&str] = &[
    "/1p-user-list/",
    "/ga-audiences",
    "/seg?",
    "/getuid",
    "/setuid",
    "/mapuid",
    "/usync",
    "/user_sync",
    "/usersync",
    "/cookie/match",
    "/cookiematch",
    "/cksync",
    "/sync",
    "/match",
    "/ecm3",
    "/pixel",
    "/fr/u.php",
    "/tr/",
    "/tr?",
    "/rp.gif",
    "/i/adsct",
];
/// Path pieces of analytics hits.
const ANALYTICS_PATHS: &[&str] = &[
    "/collect",
    "__utm.gif",
    "__ptq.gif",
    "/b/ss/",
    "/beacon",
    "/ping",
    "/event",
    "/analytics",
    "/track",
    "/hit",
    "/log",
    "/stats",
    "/pageview",
    "/matomo.php",
    "/piwik.php",
];

fn kind_from_shape(url: &str, ad_host: bool) -> Option<PixelKind> {
    let lower = url.to_ascii_lowercase();
    let path_and_query = super::context::path_of(&lower);
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let starts = Pieces::starts_in(path_and_query);
    let (path_and_query, path) = (Pieces::new(path_and_query, &starts), Pieces::new(path, &starts));
    // One pass over the query (a long one has dozens of parameters): the facts each step reads.
    // Bytes split with plain loops: `str::split`'s searcher costs more than these short fields.
    let (mut open_param, mut event, mut conversion_value) = (false, None, false);
    for kv in query.as_bytes().split(|&b| b == b'&') {
        let (k, v) = match kv.iter().position(|&b| b == b'=') {
            Some(at) => (&kv[..at], &kv[at + 1..]),
            None => (kv, &[][..]),
        };
        open_param |= k == b"l" && v == b"open";
        if event.is_none() && EVENT_KEYS.iter().any(|key| key.as_bytes() == k) {
            event = Some(v);
        }
        conversion_value |= !v.is_empty() && v != b"0" && CONVERSION_KEYS.iter().any(|key| key.as_bytes() == k);
    }

    if open_param || EMAIL_OPEN_PATHS.iter().any(|p| path.has(p)) {
        return Some(PixelKind::EmailOpen);
    }
    if event.is_some_and(|v| CONVERSION_EVENTS.iter().any(|e| e.as_bytes() == v))
        || conversion_value
        || CONVERSION_PATHS.iter().any(|p| path_and_query.has(p))
    {
        return Some(PixelKind::Conversion);
    }
    if RETARGETING_PATHS.iter().any(|p| path_and_query.has(p)) {
        return Some(PixelKind::Retargeting);
    }
    if ANALYTICS_PATHS.iter().any(|p| path.has(p)) {
        return Some(if ad_host { PixelKind::Retargeting } else { PixelKind::Analytics });
    }
    None
}

/// A text asked about many pieces, each starting with `/` or `_`: the positions of those bytes,
/// found once.
// Performance (docs/benchmarks.md): a matched request is asked about ~60 pieces; searching the
// text for each (`str::match_indices`, then one memchr scan per piece) was most of a blocked check.
struct Pieces<'a> {
    text: &'a str,
    starts: &'a [usize],
}

impl<'a> Pieces<'a> {
    /// Where pieces can start in `text`: its `/` and `_`.
    fn starts_in(text: &str) -> Vec<usize> {
        memchr::memchr2_iter(b'/', b'_', text.as_bytes()).collect()
    }

    /// `text`, a prefix of the text `starts` were found in.
    fn new(text: &'a str, starts: &'a [usize]) -> Self {
        Self { text, starts: &starts[..starts.partition_point(|&at| at < text.len())] }
    }

    /// Whether `piece` occurs in the text as a whole word: not followed by a letter or digit
    /// (`/log` is in `/log?x` and `/log/1`, not in `/login`). The occurrences tried are the ones
    /// `match_indices` yields: left to right, not overlapping.
    fn has(&self, piece: &str) -> bool {
        let (text, piece) = (self.text.as_bytes(), piece.as_bytes());
        let whole_word_needed = piece.last().is_some_and(u8::is_ascii_alphanumeric);
        let mut free_from = 0;
        for &start in self.starts.iter() {
            // The second byte first: most positions fail there, without a call to memcmp.
            let rest = &text[start..];
            let second_differs = piece.get(1).is_some_and(|b| rest.get(1) != Some(b));
            if start < free_from || second_differs || !rest.starts_with(piece) {
                continue;
            }
            if !whole_word_needed || !text.get(start + piece.len()).is_some_and(u8::is_ascii_alphanumeric) {
                return true;
            }
            free_from = start + piece.len();
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_piece(text: &str, piece: &str) -> bool {
        Pieces::new(text, &Pieces::starts_in(text)).has(piece)
    }

    #[test]
    fn every_piece_starts_where_pieces_look() {
        for piece in EMAIL_OPEN_PATHS.iter().chain(CONVERSION_PATHS).chain(RETARGETING_PATHS).chain(ANALYTICS_PATHS) {
            assert!(piece.starts_with(['/', '_']), "{piece}");
        }
    }

    #[test]
    fn has_piece_finds_what_match_indices_finds() {
        fn reference(text: &str, piece: &str) -> bool {
            text.match_indices(piece).any(|(at, _)| {
                let next = text[at + piece.len()..].bytes().next();
                !next.is_some_and(|b| b.is_ascii_alphanumeric()) || !piece.as_bytes().last().is_some_and(u8::is_ascii_alphanumeric)
            })
        }
        let texts = [
            "/log",
            "/login",
            "/log?x",
            "/log/1",
            "/a/b/log",
            "/loglog/log",
            "//log",
            "/e/o/e/o/",
            "/aa/aaa",
            "/track/open?x",
            "/trackopen",
            "__utm.gif?x",
            "/x__utm.gifs",
            "",
            "/",
            "/px?id=1",
            "/px",
            "/ab/ab/abc",
        ];
        let pieces = ["/log", "/e/o/", "/track/open", "__utm.gif", "/px?", "/aa", "/ab/abc", "/ab/ab", "/"];
        for text in texts {
            for piece in pieces.iter().chain(EMAIL_OPEN_PATHS).chain(CONVERSION_PATHS).chain(RETARGETING_PATHS).chain(ANALYTICS_PATHS) {
                assert_eq!(has_piece(text, piece), reference(text, piece), "{piece:?} in {text:?}");
            }
        }
    }

    fn kind(url: &str, source: &str, resource_type: &str, category: Option<Category>) -> PixelKind {
        classify(&KindFacts { url, source_url: source, resource_type, annotated: None, category })
    }

    const SHOP: &str = "https://shop.example/checkout/thanks";

    #[test]
    fn annotation_wins() {
        let facts = KindFacts {
            url: "https://www.facebook.com/tr?id=1&ev=PageView",
            source_url: SHOP,
            resource_type: "image",
            annotated: Some(PixelKind::Conversion),
            category: Some(Category::Social),
        };
        assert_eq!(classify(&facts), PixelKind::Conversion);
    }

    #[test]
    fn conversion_events_and_endpoints() {
        let ad = Some(Category::Advertising);
        assert_eq!(
            kind("https://www.facebook.com/tr/?id=123456789&ev=Purchase&cd[value]=42.00&cd[currency]=USD", SHOP, "image", Some(Category::Social)),
            PixelKind::Conversion
        );
        assert_eq!(
            kind("https://www.googleadservices.com/pagead/conversion/1012345678/?label=AbCdEf&guid=ON&script=0", SHOP, "image", ad),
            PixelKind::Conversion
        );
        assert_eq!(kind("https://ad.doubleclick.net/activity;src=1234567;type=sales;cat=purch0;ord=1?", SHOP, "image", ad), PixelKind::Conversion);
        assert_eq!(
            kind("https://analytics.tiktok.com/api/v2/pixel?event=CompletePayment", SHOP, "xmlhttprequest", Some(Category::Social)),
            PixelKind::Conversion
        );
        assert_eq!(
            kind("https://ct.pinterest.com/v3/?event=checkout&tid=2612345678901&noscript=1", SHOP, "image", Some(Category::Social)),
            PixelKind::Conversion
        );
        assert_eq!(
            kind("https://q.quora.com/_/ad/0123abcd/pixel?tag=Purchase&noscript=1", SHOP, "image", Some(Category::Social)),
            PixelKind::Conversion
        );
        assert_eq!(kind("https://secure.adnxs.com/px?id=123456&t=2", SHOP, "image", ad), PixelKind::Conversion);
    }

    #[test]
    fn retargeting_and_id_sync() {
        let ad = Some(Category::Advertising);
        assert_eq!(
            kind("https://www.facebook.com/tr?id=123456789&ev=PageView&noscript=1", SHOP, "image", Some(Category::Social)),
            PixelKind::Retargeting
        );
        assert_eq!(kind("https://www.google.com/pagead/1p-user-list/1012345678/?random=1&cv=11", SHOP, "image", ad), PixelKind::Retargeting);
        assert_eq!(kind("https://cm.g.doubleclick.net/pixel?google_nid=rubicon&google_cm", SHOP, "image", ad), PixelKind::Retargeting);
        assert_eq!(kind("https://ib.adnxs.com/getuid?https://ads.example/sync?uid=$UID", SHOP, "image", ad), PixelKind::Retargeting);
        assert_eq!(
            kind("https://alb.reddit.com/rp.gif?ts=1&id=t2_abc&event=PageVisit", SHOP, "image", Some(Category::Social)),
            PixelKind::Retargeting
        );
        // Unknown path on an ad host: the category decides.
        assert_eq!(kind("https://dis.criteo.com/dis/dis.aspx?p1=v", SHOP, "sub_frame", ad), PixelKind::Retargeting);
        assert_eq!(kind("https://px.ads.linkedin.com/collect/?pid=12345&fmt=gif", SHOP, "image", ad), PixelKind::Retargeting);
    }

    #[test]
    fn analytics_hits() {
        let an = Some(Category::Analytics);
        assert_eq!(kind("https://www.google-analytics.com/g/collect?v=2&tid=G-ABC123XYZ&en=page_view", SHOP, "ping", an), PixelKind::Analytics);
        assert_eq!(kind("https://www.google-analytics.com/collect?v=1&t=pageview&tid=UA-1234-1", SHOP, "image", an), PixelKind::Analytics);
        assert_eq!(kind("https://track.hubspot.com/__ptq.gif?a=123456&k=1&r=https%3A%2F%2Fshop.example%2F", SHOP, "image", an), PixelKind::Analytics);
        assert_eq!(kind("https://acme.sc.omtrdc.net/b/ss/acmeprod/1/JS-2.22.0/s123", SHOP, "image", an), PixelKind::Analytics);
        assert_eq!(kind("https://www.googletagmanager.com/gtm.js?id=GTM-ABC123", SHOP, "script", Some(Category::TagManager)), PixelKind::Analytics);
        // An unknown host beaconing: analytics.
        assert_eq!(kind("https://unknown.test/x", SHOP, "beacon", None), PixelKind::Analytics);
        assert_eq!(kind("https://unknown.test/x.js", SHOP, "script", None), PixelKind::Other);
    }

    #[test]
    fn first_party_pixels_by_their_vendors_shapes() {
        // Unknown hosts (the site's own), so no category: the URL's shape decides.
        let shop = "https://www.shop.example/checkout/thanks";
        assert_eq!(kind("https://sgtm.shop.example/g/collect?v=2&tid=G-ABC123&en=page_view", shop, "ping", None), PixelKind::Analytics);
        assert_eq!(kind("https://www.shop.example/tr/?id=123456789012345&ev=Purchase&cd[value]=42", shop, "image", None), PixelKind::Conversion);
        assert_eq!(kind("https://www.shop.example/tr/?id=123456789012345&ev=PageView", shop, "image", None), PixelKind::Retargeting);
        assert_eq!(kind("https://smetrics.shop.example/b/ss/shopprod/1/JS-2.22.0/s123", shop, "image", None), PixelKind::Analytics);
        assert_eq!(
            kind("https://prf.hn/conversion/tracking_mode:pixel/campaign:1011l123/conversionref:A1", shop, "image", None),
            PixelKind::Conversion
        );
        assert_eq!(kind("https://www.awin1.com/sread.img?tt=ns&tv=2&merchant=1001&amount=42.00&ref=A1", shop, "image", None), PixelKind::Conversion);
        assert_eq!(kind("https://www.shareasale.com/sale.cfm?tracking=A1&amount=42.00&merchantID=1", shop, "image", None), PixelKind::Conversion);
        assert_eq!(kind("https://track.webgains.com/transaction.html?wgver=1.2&wgprogramid=1", shop, "image", None), PixelKind::Conversion);
        assert_eq!(kind("https://stats.shop.example/matomo.php?idsite=1&rec=1&action_name=Home", shop, "image", None), PixelKind::Analytics);
    }

    #[test]
    fn email_opens_by_path_host_and_page() {
        let none = None;
        assert_eq!(kind("https://u1234567.ct.sendgrid.net/wf/open?upn=AbC-dEf_123", "", "image", Some(Category::Email)), PixelKind::EmailOpen);
        assert_eq!(kind("https://acme.us21.list-manage.com/track/open.php?u=abc123&id=def456&e=0123456789", "", "image", none), PixelKind::EmailOpen);
        assert_eq!(kind("https://t.sidekickopen70.com/e1t/o/5/f18dQhb0S7kF8cpgq", "", "image", none), PixelKind::EmailOpen);
        assert_eq!(kind("https://abc.r.bh.d.sendibt3.com/tr/op/zYxW-VuTs", "", "image", none), PixelKind::EmailOpen);
        assert_eq!(kind("https://acme.activehosted.com/lt.php?nl=1&c=2&m=3&s=abc&l=open", "", "image", none), PixelKind::EmailOpen);
        assert_eq!(kind("https://click.e.acme.example/open.aspx?ffcb10-fe8a1c7670660c7d-fe2c15", "", "image", none), PixelKind::EmailOpen);
        assert_eq!(
            kind("https://mailtrack.io/trace/mail/0123456789abcdef0123456789abcdef01234567.png?u=1234567", "", "image", none),
            PixelKind::EmailOpen
        );
        // Any third-party image in a webmail page reports the open.
        assert_eq!(kind("https://newsletter.acme.example/img/p.gif", "https://mail.google.com/mail/u/0/", "image", none), PixelKind::EmailOpen);
        // Gmail's own requests are not.
        assert_eq!(kind("https://www.google.com/x", "https://mail.google.com/mail/u/0/", "image", none), PixelKind::Other);
        // A Gmail proxy URL is an email open, whatever the original host is.
        assert_eq!(
            kind("https://ci3.googleusercontent.com/proxy/AbC=s0-d-e1-ft#https://open.convertkit-mail2.com/abc123", "", "image", none),
            PixelKind::EmailOpen
        );
        // An email sender's image on a web page is its web tracking; without a page, an open.
        assert_eq!(
            kind("https://s1234567.t.eloqua.com/visitor/v200/svrGP?pps=3&siteid=1234", SHOP, "image", Some(Category::Email)),
            PixelKind::Analytics
        );
        assert_eq!(
            kind("https://s1234567.t.eloqua.com/visitor/v200/svrGP?pps=3&siteid=1234", "", "image", Some(Category::Email)),
            PixelKind::EmailOpen
        );
        // An ESP's script on a shop is its onsite analytics, not an open.
        assert_eq!(kind("https://static.klaviyo.com/onsite/js/klaviyo.js", SHOP, "script", Some(Category::Email)), PixelKind::Analytics);
    }

    #[test]
    fn path_pieces_are_whole_words() {
        assert!(has_piece("/v1/log?x=1", "/log"));
        assert!(has_piece("/log", "/log"));
        assert!(!has_piece("/login", "/log"));
        assert!(!has_piece("/blog/post", "/log"));
        assert!(has_piece("/e/o/abc", "/e/o/"));
        assert_eq!(kind("https://cdn.test/account/login", SHOP, "script", None), PixelKind::Other);
    }

    #[test]
    fn names_round_trip() {
        for k in [PixelKind::EmailOpen, PixelKind::Conversion, PixelKind::Retargeting, PixelKind::Analytics, PixelKind::Other] {
            assert_eq!(PixelKind::from_name(k.name()), Some(k));
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.name()));
        }
        assert_eq!(PixelKind::from_name("teleport"), None);
    }
}
