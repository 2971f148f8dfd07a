//! URL context: hosts, registrable domains and paths.

/// `(hostname, registrable domain)` of a URL, lower case; the domain is the host itself when it
/// has no registrable part (an IP address, `localhost`). None for a URL without a host.
pub fn host_and_domain(url: &str) -> Option<(String, String)> {
    crate::public_suffix::with_host_parts(url, |parts| {
        let (host, domain) = parts.filter(|(host, _)| !host.is_empty())?;
        let domain = if domain.is_empty() { host } else { domain };
        Some((host.to_ascii_lowercase(), domain.to_ascii_lowercase()))
    })
}

/// The path of an absolute URL (from the first `/` after the authority, without the fragment).
pub(crate) fn path_of(url: &str) -> &str {
    let url = url.split('#').next().unwrap_or(url);
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme.find('/').map_or("/", |at| &after_scheme[at..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_registrable_domains() {
        assert_eq!(host_and_domain("https://t.sidekickopen70.com/e1t/o/5/x"), Some(("t.sidekickopen70.com".into(), "sidekickopen70.com".into())));
        assert_eq!(host_and_domain("https://a.b.example.co.uk/x").unwrap().1, "example.co.uk");
        assert_eq!(host_and_domain("http://127.0.0.1:8080/p.gif").unwrap().1, "127.0.0.1");
        assert_eq!(host_and_domain("not a url"), None);
    }
}
