//! Registrable domains (eTLD+1) for adblock: the Public Suffix List as a sorted table built by build.rs, searched without allocating.

use adblock::url_parser::{RequestUrl, ResolvesDomain};

// `static TABLE: [(&str, u8); N]`: every rule name and every parent of one, with its kind bits
// (0 for a parent that is no rule), in byte order (build.rs).
include!(concat!(env!("OUT_DIR"), "/public_suffix_table.rs"));
// The kind bits; keep in sync with build.rs.
const RULE: u8 = 1;
const WILDCARD: u8 = 2;
const EXCEPTION: u8 = 4;

/// adblock's URL parser, after installing our resolver (adblock panics parsing a URL without one).
/// Every URL this crate parses goes through here, and it builds `Request`s only after that.
pub fn parse_url(url: &str) -> Option<RequestUrl> {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let _ = adblock::url_parser::set_domain_resolver(Box::new(PublicSuffixList));
    });
    adblock::url_parser::parse_url(url)
}

/// How many URLs [`with_host_parts`] keeps the answer for, per thread.
const KEPT: usize = 4;

/// Calls `f` with the `(hostname, registrable domain)` of `url` as [`parse_url`] gives them (as
/// written, case included), or `None` when it is not a URL. `f` must not call this again.
///
/// Performance (docs/benchmarks.md): the engine asks this of a request's page for every request,
/// and a page's requests arrive together; labelling a matched request asks it of the same two or
/// three URLs (request, page, proxy target) up to five times. Each parse does IDNA and two
/// public-suffix lookups, so the answers for the last [`KEPT`] URLs are kept per thread, the most
/// recently asked last; an answer is a pure function of the string, right for any engine or list.
pub(crate) fn with_host_parts<R>(url: &str, f: impl FnOnce(Option<(&str, &str)>) -> R) -> R {
    type Kept = Vec<(String, Option<(String, String)>)>;
    thread_local! { static KEPT_PARTS: std::cell::RefCell<Kept> = const { std::cell::RefCell::new(Vec::new()) }; }
    KEPT_PARTS.with_borrow_mut(|kept| {
        match kept.iter().rposition(|(u, _)| u == url) {
            Some(at) => kept[at..].rotate_left(1),
            None => {
                if kept.len() == KEPT {
                    kept.remove(0);
                }
                let parts = parse_url(url).map(|u| (u.hostname().to_string(), u.domain().to_string()));
                kept.push((url.to_string(), parts));
            }
        }
        let (_, parts) = &kept[kept.len() - 1];
        f(parts.as_ref().map(|(host, domain)| (host.as_str(), domain.as_str())))
    })
}

/// adblock's default resolver (`addr` over the `psl` crate) with our table: the registrable domain,
/// the host itself when it is a public suffix, `(0, len)` when it is not a domain name (an IP
/// address, a `_`); a trailing dot stays with the domain.
struct PublicSuffixList;

impl ResolvesDomain for PublicSuffixList {
    fn get_host_domain(&self, host: &str) -> (usize, usize) {
        let name = host.strip_suffix('.').unwrap_or(host);
        if host.is_empty() || !is_domain_name(name) {
            return (0, host.len());
        }
        let start = match suffix_start(name) {
            0 => 0,
            suffix => name[..suffix - 1].rfind('.').map_or(0, |i| i + 1),
        };
        (start, host.len())
    }
}

/// `addr`'s syntax check: at most 253 characters and 127 labels; labels of 1–63 characters, each
/// ASCII one a letter, digit or inner `-` (non-ASCII passes); the last not a number.
fn is_domain_name(name: &str) -> bool {
    // One pass over the characters: this runs for every request's host.
    let (mut chars, mut labels, mut label_chars, mut previous) = (0, 1, 0, '.');
    for c in name.chars() {
        if c == '.' {
            if label_chars == 0 || previous == '-' {
                return false;
            }
            (labels, label_chars) = (labels + 1, 0);
        } else if (c.is_ascii() && !c.is_ascii_alphanumeric() && c != '-') || (c == '-' && label_chars == 0) {
            return false;
        } else {
            label_chars += 1;
        }
        (chars, previous) = (chars + 1, c);
        if label_chars > 63 {
            return false;
        }
    }
    let last = &name[name.rfind('.').map_or(0, |i| i + 1)..];
    label_chars > 0 && previous != '-' && chars <= 253 && labels <= 127 && last.parse::<f64>().is_err()
}

/// Where the public suffix of `name` starts (the PSL algorithm): the longest matching rule, a
/// wildcard counting one label more, an exception one label less, else the last label.
fn suffix_start(name: &str) -> usize {
    let (mut suffix, mut shorter) = (name.len(), name.len());
    // The implicit `*` rule: a wildcard over the root.
    let mut wildcard = true;
    let mut rest = name.len();
    loop {
        let start = name[..rest].rfind('.').map_or(0, |i| i + 1);
        if wildcard {
            suffix = start;
        }
        // Every parent of a rule is in the table, so no longer rule matches past an absent name.
        let Some(kind) = kind(&name[start..]) else { break };
        if kind & EXCEPTION != 0 {
            return shorter;
        }
        if kind & RULE != 0 {
            suffix = start;
        }
        wildcard = kind & WILDCARD != 0;
        if start == 0 {
            break;
        }
        (shorter, rest) = (start, start - 1);
    }
    suffix
}

/// The kind bits of `name` in the table, by binary search.
fn kind(name: &str) -> Option<u8> {
    TABLE.binary_search_by(|(entry, _)| entry.cmp(&name)).ok().map(|at| TABLE[at].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domain(host: &str) -> &str {
        let (start, end) = PublicSuffixList.get_host_domain(host);
        &host[start..end]
    }

    #[test]
    fn registrable_domains_by_the_list() {
        for (host, expected) in [
            ("a.b.example.com", "example.com"),
            ("example.com", "example.com"),
            ("a.b.co.uk", "b.co.uk"),
            // `*.ck` and `!www.ck`
            ("a.b.c.ck", "b.c.ck"),
            ("www.ck", "www.ck"),
            ("a.www.ck", "www.ck"),
            ("ck", "ck"),
            // Private section
            ("x.y.github.io", "y.github.io"),
            ("foo.blogspot.com", "foo.blogspot.com"),
            ("a.foo.blogspot.com", "foo.blogspot.com"),
            // IDN rules, in punycode as adblock passes hosts: `公司.cn`
            ("a.b.xn--55qx5d.cn", "b.xn--55qx5d.cn"),
            // A public suffix is its own domain
            ("co.uk", "co.uk"),
            ("github.io", "github.io"),
            ("com", "com"),
            // The implicit `*` rule
            ("a.b.notatld", "b.notatld"),
            ("localhost", "localhost"),
            ("example.com.", "example.com."),
            // Case-sensitive like the `psl` crate (adblock keeps a URL's host as written)
            ("A.B.CO.UK", "CO.UK"),
        ] {
            assert_eq!(domain(host), expected, "{host}");
        }
    }

    #[test]
    fn non_domain_names_are_their_own_domain() {
        for host in ["", ".", "a..b", "192.168.0.1", "[::1]", "my_host.example.com", "-a.example.com", "a.1e5"] {
            assert_eq!(domain(host), host);
        }
        let long_label = format!("{}.example.com", "a".repeat(64));
        assert_eq!(domain(&long_label), long_label);
        let long_name = format!("{}example.com", "a.".repeat(122));
        assert_eq!(domain(&long_name), long_name);
    }

    #[test]
    fn host_parts_are_parse_urls_and_kept_for_the_last_urls_asked() {
        let parts = |url: &str| with_host_parts(url, |p| p.map(|(h, d)| (h.to_string(), d.to_string())));
        for url in ["https://a.b.co.uk/x", "HTTPS://Shop.EXAMPLE/X", "http://[::1]:8080/", "about:blank", "", "not a url"] {
            let parsed = parse_url(url).map(|u| (u.hostname().to_string(), u.domain().to_string()));
            assert_eq!(parts(url), parsed, "{url}");
            assert_eq!(parts(url), parsed, "{url}, asked again");
        }
        // Asked in turn, more URLs than are kept: each answer is still the parse of its own URL.
        let urls: Vec<String> = (0..3 * KEPT).map(|i| format!("https://h{i}.example.co.uk/p")).collect();
        for url in urls.iter().chain(urls.iter().rev()) {
            assert_eq!(parts(url).unwrap().1, url[url.find(".example").unwrap() + 1..url.find("/p").unwrap()]);
        }
    }

    #[test]
    fn parse_url_installs_the_resolver() {
        let url = parse_url("https://a.b.co.uk/x").unwrap();
        assert_eq!((url.hostname(), url.domain()), ("a.b.co.uk", "b.co.uk"));
        assert_eq!(parse_url("http://[::1]:8080/").unwrap().domain(), "[::1]");
    }
}
