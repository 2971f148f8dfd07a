//! URL context: hosts, registrable domains and paths.

/// `(hostname, registrable domain)` of a URL; the domain is the host itself when it has no
/// registrable part (an IP address, `localhost`).
pub fn host_and_domain(url: &str) -> Option<(String, String)> {
    // Performance (docs/benchmarks.md): labelling one matched request asks this of the same two or
    // three URLs (request, page, proxy target) up to five times, and each parse does IDNA and two
    // public-suffix lookups — it doubled the time of a blocked check in wasm. The last few answers
    // are kept per thread; the answer is a pure function of the string.
    const KEPT: usize = 4;
    type Memo = Vec<(String, Option<(String, String)>)>;
    thread_local! { static MEMO: std::cell::RefCell<Memo> = const { std::cell::RefCell::new(Vec::new()) }; }
    MEMO.with_borrow_mut(|memo| {
        if let Some((_, answer)) = memo.iter().find(|(u, _)| u == url) {
            return answer.clone();
        }
        let answer = parse_host_and_domain(url);
        if memo.len() == KEPT {
            memo.remove(0);
        }
        memo.push((url.to_string(), answer.clone()));
        answer
    })
}

fn parse_host_and_domain(url: &str) -> Option<(String, String)> {
    let parsed = crate::parse_url(url)?;
    let host = parsed.hostname().to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    let domain = match parsed.domain() {
        "" => host.clone(),
        d => d.to_ascii_lowercase(),
    };
    Some((host, domain))
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
