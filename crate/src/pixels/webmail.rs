//! Webmail pages and their image proxies, from `webmail.json`: which pages read mail, and the
//! sender's original URL a proxied image URL carries (Gmail's fragment, Outlook's, Yahoo's and
//! Proton's percent-encoded query parameter).

use std::borrow::Cow;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

const SOURCE: &str = include_str!("webmail.json");

/// The webmail data: pages, proxy shapes, and the list sections that hold email-open filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Webmail {
    pub pages: Vec<Page>,
    pub proxies: Vec<Proxy>,
    /// Names of list sections (`! *** NAME ***` comments) whose filters are email-open pixels.
    pub email_open_sections: Vec<String>,
}

/// A webmail page: a host, and the path its mail lives under (`/` for the whole host).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Page {
    pub host: String,
    pub path: String,
}

/// One provider's image-proxy URL shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proxy {
    /// The provider, as users know it (`Gmail`).
    pub name: String,
    /// Hosts of the webmail pages that load images through this proxy.
    pub pages: Vec<String>,
    /// Proxy hosts; each covers its subdomains.
    pub hosts: Vec<String>,
    /// Path prefixes of proxied image URLs.
    pub paths: Vec<String>,
    pub original: Carrier,
}

/// Where a proxy URL carries the original URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Carrier {
    /// After `#`, as written in the message.
    Fragment,
    /// Percent-encoded in the query parameter of this name (case-sensitive).
    Query(String),
}

impl TryFrom<String> for Page {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        let (host, path) = text.split_once('/').map_or((text.as_str(), "/".to_string()), |(h, p)| (h, format!("/{p}")));
        if host.is_empty() || host != host.to_ascii_lowercase() {
            return Err(format!("bad webmail page {text:?}"));
        }
        Ok(Page { host: host.to_string(), path })
    }
}

impl From<Page> for String {
    fn from(page: Page) -> String {
        if page.path == "/" { page.host } else { format!("{}{}", page.host, page.path) }
    }
}

impl TryFrom<String> for Carrier {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        match text.split_once(':') {
            None if text == "fragment" => Ok(Carrier::Fragment),
            Some(("query", name)) if !name.is_empty() => Ok(Carrier::Query(name.to_string())),
            _ => Err(format!("bad original {text:?}: expected \"fragment\" or \"query:NAME\"")),
        }
    }
}

impl From<Carrier> for String {
    fn from(carrier: Carrier) -> String {
        match carrier {
            Carrier::Fragment => "fragment".into(),
            Carrier::Query(name) => format!("query:{name}"),
        }
    }
}

/// The webmail data compiled in (`webmail.json`; its unit test proves it parses).
pub fn webmail() -> &'static Webmail {
    static DATA: OnceLock<Webmail> = OnceLock::new();
    DATA.get_or_init(|| serde_json::from_str(SOURCE).unwrap_or_else(|e| panic!("webmail.json: {e}")))
}

impl Webmail {
    /// Match patterns of the webmail pages (`https://mail.google.com/*`), for content scripts.
    pub fn page_patterns(&self) -> Vec<String> {
        self.pages.iter().map(|p| format!("https://{}{}*", p.host, p.path)).collect()
    }
}

/// The `(host, rest)` of an absolute http(s) URL, the host lower-cased only when it has capitals;
/// `rest` starts at the path, query or fragment. No full parse: this runs on every checked request.
fn split_host(url: &str) -> Option<(Cow<'_, str>, &str)> {
    let scheme = ["https://", "http://"].into_iter().find(|s| url.get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s)))?;
    let after_scheme = &url[scheme.len()..];
    let end = after_scheme.find(['/', '?', '#']).unwrap_or(after_scheme.len());
    let (authority, rest) = after_scheme.split_at(end);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split_once(':').map_or(host, |(h, _)| h).trim_end_matches('.');
    let host = if host.bytes().any(|b| b.is_ascii_uppercase()) { Cow::Owned(host.to_ascii_lowercase()) } else { Cow::Borrowed(host) };
    Some((host, rest))
}

/// Whether `host` is `domain` or one of its subdomains.
pub(crate) fn within(host: &str, domain: &str) -> bool {
    host.strip_suffix(domain).is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
}

/// Whether `page_url` is a webmail page (reading mail).
pub fn is_webmail(page_url: &str) -> bool {
    let Some((host, rest)) = split_host(page_url) else { return false };
    let path = if rest.starts_with('/') { rest } else { "/" };
    webmail().pages.iter().any(|p| p.host == host && path.starts_with(&p.path))
}

/// A webmail image-proxy URL, read: the provider and the sender's original URL it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proxied<'a> {
    pub via: &'static str,
    pub original: Cow<'a, str>,
}

/// Reads `url` as a webmail image-proxy URL: `None` when it is not one, or carries no http(s) URL.
pub fn mail_proxy(url: &str) -> Option<Proxied<'_>> {
    let (host, rest) = split_host(url)?;
    let proxy = webmail().proxies.iter().find(|p| p.hosts.iter().any(|h| within(&host, h)))?;
    let (before_fragment, fragment) = rest.split_once('#').map_or((rest, None), |(b, f)| (b, Some(f)));
    let (path, query) = before_fragment.split_once('?').unwrap_or((before_fragment, ""));
    if !proxy.paths.iter().any(|p| path.starts_with(p.as_str())) {
        return None;
    }
    let original = match &proxy.original {
        Carrier::Fragment => Cow::Borrowed(fragment?),
        Carrier::Query(name) => {
            let value = query.split('&').find_map(|kv| kv.strip_prefix(name.as_str())?.strip_prefix('='))?;
            percent_decode(value)
        }
    };
    let lower = original.get(..8).unwrap_or(&original).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(Proxied { via: &proxy.name, original })
}

/// `%XX` escapes decoded (invalid UTF-8 replaced); `+` is kept, as URL query values write it.
fn percent_decode(value: &str) -> Cow<'_, str> {
    if !value.contains('%') {
        return Cow::Borrowed(value);
    }
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGINAL: &str = "https://acme.us21.list-manage.com/track/open.php?u=0123abcd&id=89ab&e=0123456789";
    const ENCODED: &str = "https%3A%2F%2Facme.us21.list-manage.com%2Ftrack%2Fopen.php%3Fu%3D0123abcd%26id%3D89ab%26e%3D0123456789";

    fn original(url: &str) -> Option<(String, String)> {
        mail_proxy(url).map(|p| (p.via.to_string(), p.original.into_owned()))
    }

    #[test]
    fn the_data_file_parses_and_every_shape_is_complete() {
        let data = webmail();
        assert!(data.pages.len() >= 20);
        assert_eq!(data.proxies.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["Gmail", "Outlook", "Yahoo Mail", "Proton Mail"]);
        for p in &data.proxies {
            assert!(!p.pages.is_empty() && !p.hosts.is_empty() && !p.paths.is_empty(), "{p:?}");
            assert!(p.paths.iter().all(|path| path.starts_with('/')), "{p:?}");
            assert!(p.pages.iter().all(|page| data.pages.iter().any(|q| &q.host == page)), "{}: a page that is not a webmail page", p.name);
            assert!(p.hosts.iter().chain(&p.pages).all(|h| h.contains('.') && *h == h.to_ascii_lowercase() && !h.contains('/')), "{p:?}");
        }
        let round_trip: Webmail = serde_json::from_str(&serde_json::to_string(data).unwrap()).unwrap();
        assert_eq!(&round_trip, data);
        assert!(serde_json::from_str::<Carrier>("\"query:\"").is_err() && serde_json::from_str::<Carrier>("\"header\"").is_err());
    }

    #[test]
    fn every_proxy_shape_gives_back_the_original() {
        let cases = [
            (format!("https://ci3.googleusercontent.com/meips/ADKq_NbXyz12=s0-d-e1-ft#{ORIGINAL}"), "Gmail"),
            (format!("https://ci5.googleusercontent.com/proxy/AbC123xyz=s0-d-e1-ft#{ORIGINAL}"), "Gmail"),
            (format!("https://outlook.live.com/actions/ei?u={ENCODED}&d=2026-11-29T10%3A00%3A00Z"), "Outlook"),
            (format!("https://outlook.office.com/actions/ei?d=x&u={}", ENCODED.to_lowercase()), "Outlook"),
            (format!("https://ecp.yusercontent.com/mail?url={ENCODED}&t=1764410000&ymreqid=ab-cd&sig=Zx81Kq02"), "Yahoo Mail"),
            (format!("https://mail.proton.me/api/core/v4/images?Url={ENCODED}&DryRun=0&UID=abc"), "Proton Mail"),
        ];
        for (url, via) in cases {
            let (got_via, got) = original(&url).unwrap_or_else(|| panic!("{url}"));
            assert_eq!(got_via, via, "{url}");
            assert_eq!(got.to_lowercase(), ORIGINAL.to_lowercase(), "{url}");
        }
        // Lower-case escapes decode the same; the case of the original's own text is kept.
        let lower = format!("https://ecp.yusercontent.com/mail?url={}", "https%3a%2f%2fT.Example%2FO.gif%3fid%3dAbC");
        assert_eq!(original(&lower).unwrap().1, "https://T.Example/O.gif?id=AbC");
    }

    #[test]
    fn what_is_not_a_proxied_image_is_not_read_as_one() {
        for url in [
            "https://lh3.googleusercontent.com/a/photo.jpg#https://x.test/",
            "https://ci3.googleusercontent.com/meips/ADKq_Nb",
            "https://ci3.googleusercontent.com/meips/ADKq_Nb#javascript:alert(1)",
            "https://evil.test/meips/x#https://x.test/o.gif",
            "https://googleusercontent.com.evil.test/proxy/x#https://x.test/o.gif",
            "https://outlook.live.com/mail/0/?u=https%3A%2F%2Fx.test%2F",
            "https://outlook.live.com/actions/ei?uu=https%3A%2F%2Fx.test%2F",
            "https://outlook.live.com/actions/ei?u=data%3Aimage%2Fgif%3Bbase64%2CR0lG",
            "https://ecp.yusercontent.com/mail?url=",
            "https://mail.proton.me/api/core/v4/images?url=https%3A%2F%2Fx.test%2F",
            "not a url",
            "",
        ] {
            assert_eq!(original(url), None, "{url}");
        }
        assert_eq!(original("HTTPS://CI3.GoogleUserContent.COM/meips/x#https://x.test/o.gif").unwrap().1, "https://x.test/o.gif");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%E2%9C%93+%ff"), "✓+\u{fffd}");
    }

    #[test]
    fn webmail_pages() {
        assert!(is_webmail("https://mail.google.com/mail/u/0/#inbox/FMfcgz"));
        assert!(is_webmail("https://outlook.live.com/mail/0/inbox/id/AQ"));
        assert!(is_webmail("https://mail.yahoo.com/d/folders/1/messages/2"));
        assert!(is_webmail("https://MAIL.Proton.me/u/0/inbox"));
        assert!(is_webmail("https://www.icloud.com/mail/"));
        assert!(!is_webmail("https://www.icloud.com/photos/"));
        assert!(!is_webmail("https://www.google.com/search?q=mail"));
        assert!(!is_webmail(""));
        assert!(!is_webmail("https://web.de/magazine/"), "a portal is not its webmail");
    }

    #[test]
    fn match_patterns_of_the_pages() {
        let data = webmail();
        let pages = data.page_patterns();
        assert!(pages.contains(&"https://mail.google.com/*".to_string()) && pages.contains(&"https://www.icloud.com/mail*".to_string()));
    }
}
