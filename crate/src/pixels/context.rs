//! Page and URL context: hosts and registrable domains, webmail pages, webmail image proxies.

/// Webmail hosts: an image or beacon a page on one of these loads reports an email open.
const WEBMAIL_HOSTS: &[&str] = &[
    "mail.google.com",
    "inbox.google.com",
    "outlook.live.com",
    "outlook.office.com",
    "outlook.office365.com",
    "outlook.cloud.microsoft",
    "mail.yahoo.com",
    "mail.aol.com",
    "mail.proton.me",
    "mail.protonmail.com",
    "app.fastmail.com",
    "www.fastmail.com",
    "mail.zoho.com",
    "mail.zoho.eu",
    "mail.zoho.in",
    "mail.yandex.ru",
    "mail.yandex.com",
    "e.mail.ru",
    "mail.tutanota.com",
    "app.tuta.com",
    "navigator.gmx.net",
    "navigator.gmx.com",
    "navigator.web.de",
    "mail.hey.com",
    "app.hey.com",
];

/// `(hostname, registrable domain)` of a URL, lower case; the domain is the host itself when it
/// has no registrable part (an IP address, `localhost`). None for a URL without a host.
pub fn host_and_domain(url: &str) -> Option<(String, String)> {
    crate::public_suffix::with_host_parts(url, |parts| {
        let (host, domain) = parts.filter(|(host, _)| !host.is_empty())?;
        let domain = if domain.is_empty() { host } else { domain };
        Some((host.to_ascii_lowercase(), domain.to_ascii_lowercase()))
    })
}

/// Whether `page_url` is a webmail page (reading mail), by host; iCloud Mail by path.
pub fn is_webmail(page_url: &str) -> bool {
    let Some((host, _)) = host_and_domain(page_url) else { return false };
    WEBMAIL_HOSTS.contains(&host.as_str())
        || (host == "www.icloud.com" && page_url.split_once("icloud.com").is_some_and(|(_, p)| p.starts_with("/mail")))
}

/// Whether `url` is a webmail image proxy: Gmail (`*.googleusercontent.com/proxy/`, `/meips/`),
/// Yahoo (`*.yusercontent.com/mail`), Outlook (`*.outlook.com/proxy/`, `*.office.net/proxy`).
pub fn is_mail_image_proxy(url: &str) -> bool {
    let Some((_, domain)) = host_and_domain(url) else { return false };
    let path = path_of(url);
    match domain.as_str() {
        "googleusercontent.com" => path.starts_with("/proxy/") || path.starts_with("/meips/"),
        "yusercontent.com" => path.starts_with("/mail"),
        "outlook.com" | "office.net" | "office365.com" => path.contains("/proxy"),
        _ => false,
    }
}

/// The original image URL a Gmail image-proxy URL carries after `#`, as Gmail writes it
/// (`https://ci3.googleusercontent.com/proxy/<token>#https://tracker.example/o.gif`).
pub fn gmail_proxy_target(url: &str) -> Option<&str> {
    let (proxy, target) = url.split_once('#')?;
    if !(target.starts_with("http://") || target.starts_with("https://")) {
        return None;
    }
    let (_, domain) = host_and_domain(proxy)?;
    let path = path_of(proxy);
    (domain == "googleusercontent.com" && (path.starts_with("/proxy/") || path.starts_with("/meips/"))).then_some(target)
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

    #[test]
    fn webmail_pages() {
        assert!(is_webmail("https://mail.google.com/mail/u/0/#inbox/FMfcgz"));
        assert!(is_webmail("https://outlook.live.com/mail/0/inbox/id/AQ"));
        assert!(is_webmail("https://mail.yahoo.com/d/folders/1/messages/2"));
        assert!(is_webmail("https://www.icloud.com/mail/"));
        assert!(!is_webmail("https://www.icloud.com/photos/"));
        assert!(!is_webmail("https://www.google.com/search?q=mail"));
        assert!(!is_webmail(""));
        assert!(!is_webmail("https://web.de/magazine/"), "a portal is not its webmail");
    }

    #[test]
    fn gmail_proxy_urls_carry_the_original() {
        let proxied = "https://ci3.googleusercontent.com/proxy/AbC123xyz=s0-d-e1-ft#https://t.sidekickopen70.com/e1t/o/5/f18dQhb0S7kF8cpgq";
        assert_eq!(gmail_proxy_target(proxied), Some("https://t.sidekickopen70.com/e1t/o/5/f18dQhb0S7kF8cpgq"));
        assert!(is_mail_image_proxy(proxied));
        assert_eq!(gmail_proxy_target("https://ci3.googleusercontent.com/meips/ADKq_Nb#https://x.test/o.gif"), Some("https://x.test/o.gif"));
        assert_eq!(gmail_proxy_target("https://lh3.googleusercontent.com/a/photo.jpg#https://x.test/"), None);
        assert_eq!(gmail_proxy_target("https://evil.test/proxy/x#https://x.test/"), None);
        assert!(is_mail_image_proxy("https://ecp.yusercontent.com/mail?url=https%3A%2F%2Fx.test%2Fo.gif"));
        assert!(!is_mail_image_proxy("https://lh3.googleusercontent.com/a/photo.jpg"));
    }
}
