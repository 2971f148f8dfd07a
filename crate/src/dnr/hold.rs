//! The webmail hold: DNR rules that block every image a webmail page loads through its image proxy
//! (`pixels/webmail.json`), unless its URL carries the release marker the webmail content script
//! adds once the core has judged the image content, not a pixel.
//!
//! Why: in Chromium a message inserted by `innerHTML` has its images fetched before any content
//! script sees them (the fetch is queued while the HTML is parsed, before the insertion a
//! MutationObserver reports), so only a rule already in place can stop a pixel no list names. The
//! marker goes in the URL's fragment, which DNR matches and no server receives.

use super::browser::Browser;
use super::priority::PRIORITY;
use super::schema::{Action, ActionType, Condition, ResourceType, Rule};
use crate::error::Result;
use crate::pixels::webmail;

/// What the content script appends to a released image's URL, after `#` (or `&` in a fragment).
pub const RELEASE_PARAM: &str = "pixelguard-release";

/// The hold for `browser`, what the extension is built with (`pixelguard webmail`): one block rule
/// per proxy host and path, from that proxy's webmail pages; then one allow rule whose `urlFilter`,
/// `pixelguard-release=`, the extension completes with its install's token (random, kept in its
/// storage: a sender cannot write it into a URL). Ids from 0: the extension numbers them from its
/// own range. Every rule is checked against the browser's limits with a token in place.
pub fn hold_template(browser: Browser) -> Result<Vec<Rule>> {
    let types: Vec<ResourceType> =
        [ResourceType::Image, ResourceType::Imageset].into_iter().filter(|t| browser.resource_types().contains(t)).collect();
    let rule = |id, priority, kind, condition| Rule { id, priority, action: Action { kind, redirect: None }, condition };
    let proxies = &webmail().proxies;
    let mut rules = Vec::new();
    for proxy in proxies {
        for host in &proxy.hosts {
            for path in &proxy.paths {
                let condition = Condition {
                    url_filter: Some(format!("||{host}{path}")),
                    initiator_domains: Some(proxy.pages.clone()),
                    resource_types: Some(types.clone()),
                    ..Condition::default()
                };
                rules.push(rule(rules.len() as u32, PRIORITY.hold, ActionType::Block, condition));
            }
        }
    }
    let mut hosts: Vec<String> = proxies.iter().flat_map(|p| p.hosts.iter().cloned()).collect();
    hosts.sort_unstable();
    hosts.dedup();
    let release = Condition {
        url_filter: Some(format!("{RELEASE_PARAM}=")),
        request_domains: Some(hosts),
        resource_types: Some(types),
        ..Condition::default()
    };
    rules.push(rule(rules.len() as u32, PRIORITY.release, ActionType::Allow, release));
    for r in completed(rules.clone(), &"0".repeat(TOKEN_LENGTH), 1) {
        browser.check_rule(&r)?;
    }
    Ok(rules)
}

/// The length of the extension's release token (hex digits of 16 random bytes, webmail.js).
const TOKEN_LENGTH: usize = 32;

/// The template completed as the extension completes it: ids from `first_id`, the token after the
/// release rule's `pixelguard-release=`.
fn completed(mut rules: Vec<Rule>, token: &str, first_id: u32) -> Vec<Rule> {
    for r in &mut rules {
        r.id += first_id;
    }
    if let Some(filter) = rules.last_mut().and_then(|r| r.condition.url_filter.as_mut()) {
        filter.push_str(token);
    }
    rules
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dnr::{Matcher, Request};

    const TOKEN: &str = "Q7xv2LmN9pRt4KsW8yZb";

    #[test]
    fn proxied_images_of_webmail_pages_are_held_until_released() {
        for browser in [Browser::Chrome, Browser::Firefox] {
            let rules = completed(hold_template(browser).unwrap(), TOKEN, 101);
            assert_eq!(rules.first().unwrap().id, 101);
            let m = Matcher::new(rules).unwrap();
            let image = |url: &str, page: &str| m.matched(&Request::new(url, Some(page), ResourceType::Image)).map(|r| r.action.kind);
            for (url, page) in [
                ("https://ci3.googleusercontent.com/meips/ADKq=s0-d-e1-ft#https://x.test/o.gif", "https://mail.google.com/mail/u/0/"),
                ("https://ci5.googleusercontent.com/proxy/Xy=s0-d-e1-ft#https://x.test/o.gif", "https://mail.google.com/mail/u/0/"),
                ("https://outlook.live.com/actions/ei?u=https%3A%2F%2Fx.test%2Fo.gif&d=1", "https://outlook.live.com/mail/0/"),
                ("https://ecp.yusercontent.com/mail?url=https%3A%2F%2Fx.test%2Fo.gif&sig=1", "https://mail.yahoo.com/d/folders/1"),
                ("https://mail.proton.me/api/core/v4/images?Url=https%3A%2F%2Fx.test%2Fo.gif", "https://mail.proton.me/u/0/inbox"),
            ] {
                assert_eq!(image(url, page), Some(ActionType::Block), "{url} is held");
                let released = format!("{url}{}{RELEASE_PARAM}={TOKEN}", if url.contains('#') { '&' } else { '#' });
                assert_eq!(image(&released, page), Some(ActionType::Allow), "{released} is released");
                assert_eq!(image(&format!("{url}#{RELEASE_PARAM}=Wrong0Token1Wrong2"), page), Some(ActionType::Block), "another token");
                assert_eq!(m.matched(&Request::new(url, Some(page), ResourceType::Script)), None, "only images are held");
            }
            // Not a webmail page, or not a proxied image: nothing held.
            assert_eq!(image("https://ci3.googleusercontent.com/meips/ADKq#https://x.test/o.gif", "https://news.test/"), None);
            assert_eq!(image("https://lh3.googleusercontent.com/a/photo.jpg", "https://mail.google.com/mail/u/0/"), None);
            assert_eq!(image("https://outlook.live.com/owa/service.svc", "https://outlook.live.com/mail/0/"), None);
        }
    }

    #[test]
    fn the_template_is_numbered_from_zero_and_ends_with_the_release_prefix() {
        for browser in [Browser::Chrome, Browser::Firefox] {
            let rules = hold_template(browser).unwrap();
            assert!(rules.iter().enumerate().all(|(i, r)| r.id == i as u32));
            let release = rules.last().unwrap();
            assert_eq!(release.action.kind, ActionType::Allow);
            assert_eq!(release.condition.url_filter.as_deref(), Some("pixelguard-release="));
        }
    }
}
