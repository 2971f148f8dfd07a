//! The CLI and webmail: `pixelguard check` on a proxied image URL names the proxy, the original URL,
//! its company and the verdict; `pixelguard webmail` prints the data the extension is built with.

use std::process::Command;

fn pixelguard(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pixelguard")).args(args).output().unwrap()
}

const PIXELS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../lists/pixels.txt");

#[test]
fn check_reads_a_proxied_url_as_the_original_it_carries() {
    let list = format!("pixels={PIXELS}");
    let original = "https://acme.us21.list-manage.com/track/open.php?u=0123abcd&id=89ab";
    for (url, page, via) in [
        (format!("https://ci3.googleusercontent.com/meips/ADKq_Nb=s0-d-e1-ft#{original}"), "https://mail.google.com/mail/u/0/", "Gmail"),
        (
            "https://outlook.live.com/actions/ei?u=https%3A%2F%2Facme.us21.list-manage.com%2Ftrack%2Fopen.php%3Fu%3D0123abcd%26id%3D89ab&d=x".into(),
            "https://outlook.live.com/mail/0/",
            "Outlook",
        ),
    ] {
        let run = pixelguard(&["check", "--list", &list, &url, "--source", page, "--type", "image", "--explain"]);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        let stdout = String::from_utf8_lossy(&run.stdout);
        let json_end = stdout.rfind('}').unwrap() + 1;
        let verdict: serde_json::Value = serde_json::from_str(&stdout[..json_end]).unwrap();
        assert_eq!(verdict["decision"], "blocked");
        assert_eq!(verdict["company"], "Mailchimp");
        assert_eq!(verdict["kind"], "email-open");
        assert_eq!(verdict["proxied"], serde_json::json!({ "via": via, "original": original }));
        let line = stdout[json_end..].trim().lines().next().unwrap();
        assert!(line.starts_with(&format!("{via} image proxy carrying {original}: blocked by `||list-manage.com/track/open.php`")), "{line}");
        assert!(line.ends_with("(Mailchimp, email-open)"), "{line}");
    }
    // A content image through the proxy: no match, the original still named.
    let logo = "https://ci3.googleusercontent.com/meips/Xy#https://mcusercontent.com/abc/images/logo.png";
    let run = pixelguard(&["check", "--list", &list, logo, "--source", "https://mail.google.com/mail/u/0/", "--type", "image"]);
    let verdict: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        (verdict["decision"].as_str(), verdict["proxied"]["original"].as_str()),
        (Some("no-match"), Some("https://mcusercontent.com/abc/images/logo.png"))
    );
}

#[test]
fn webmail_prints_pages_and_proxies() {
    let run = pixelguard(&["webmail"]);
    assert!(run.status.success());
    let data: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(data["pages"].as_array().unwrap().contains(&"https://mail.google.com/*".into()));
    assert_eq!(data["proxies"][0], serde_json::json!({ "name": "Gmail", "hosts": ["googleusercontent.com"], "paths": ["/meips/", "/proxy/"] }));
}
