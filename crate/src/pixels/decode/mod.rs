//! Decoding a pixel request: what it would have sent (event, value, ids, personal data, page), read
//! from its vendor's documented URL parameters. Read only: nothing decoded is sent anywhere.

mod email;
mod params;
mod web;

use std::collections::BTreeMap;

use serde::Serialize;

pub use params::Params;

/// What a pixel request carried, as far as its URL says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decoded {
    /// The decoder that read it: the vendor's pixel or tag (`Meta Pixel`, `Google Analytics 4`, …).
    pub vendor: &'static str,
    /// The event name as sent (`Purchase`, `purchase`, `PAGE_VIEW`, a Google Ads conversion label's event …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// The standard action the event names, whatever the vendor's spelling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
    /// The order or conversion value, as sent (digits with one `.` or `,`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// ISO 4217 code, upper case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Order or transaction id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// The page the request reported (its address, percent-decoded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// The page's referrer, as reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
    /// Identifiers, by what they identify: `pixel` (pixel, tag or property id), `account`,
    /// `conversion`, `conversionLabel`, `activityGroup`, `client` (a browser cookie id),
    /// `session`, `user`, `device`, `click` (an ad click id), `event`; for email pixels
    /// `campaign`, `list`, `message`, `subscriber` and `token` (an opaque one naming both).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub ids: BTreeMap<&'static str, String>,
    /// Personal data the request carried and in which form: `email`, `phone`, `name`, `address`,
    /// `birthdate`, `gender` → `sha256`, `sha1`, `md5`, `hashed` or `plain`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub personal: BTreeMap<&'static str, Form>,
}

/// The standard action an event names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Purchase,
    Lead,
    SignUp,
    AddToCart,
    Checkout,
    ViewContent,
    Search,
    PageView,
    /// An email was opened.
    Open,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Self::Purchase => "purchase",
            Self::Lead => "lead",
            Self::SignUp => "sign-up",
            Self::AddToCart => "add-to-cart",
            Self::Checkout => "checkout",
            Self::ViewContent => "view-content",
            Self::Search => "search",
            Self::PageView => "page-view",
            Self::Open => "open",
        }
    }

    /// The action an event name stands for, across vendors' spellings (`Purchase`,
    /// `purchase`, `PURCHASE`, `CompletePayment`, `add_to_cart`, `ADD_CART`, …); `None` for a
    /// custom event.
    pub fn of_event(event: &str) -> Option<Self> {
        let folded: String = event.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect();
        Some(match folded.as_str() {
            "purchase" | "completepayment" | "placeanorder" | "order" | "transaction" | "sale" | "sales" | "ecommercepurchase" => Self::Purchase,
            "lead" | "generatelead" | "submitform" | "submitapplication" | "contact" => Self::Lead,
            "completeregistration" | "signup" | "register" | "registration" | "starttrial" | "subscribe" => Self::SignUp,
            "addtocart" | "addcart" | "addtobasket" => Self::AddToCart,
            "initiatecheckout" | "begincheckout" | "startcheckout" | "checkout" => Self::Checkout,
            "viewcontent" | "viewitem" | "viewproduct" | "viewcategory" => Self::ViewContent,
            "search" | "searchresults" => Self::Search,
            "pageview" | "pagevisit" | "pageload" | "viewpage" => Self::PageView,
            _ => return None,
        })
    }
}

/// The form personal data was sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Form {
    Sha256,
    Sha1,
    Md5,
    /// Hashed or encoded, by an algorithm its length does not tell.
    Hashed,
    /// As typed: readable by whoever receives the request.
    Plain,
}

impl Form {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            Self::Sha1 => "sha1",
            Self::Md5 => "md5",
            Self::Hashed => "hashed",
            Self::Plain => "plain",
        }
    }

    /// The form of a sent value: a digest by its length in hex (64, 40, 32) or base64 (43–44
    /// for SHA-256), another long hex or base64 string as hashed, else plain. `None` when empty.
    pub fn of(value: &str) -> Option<Self> {
        let v = value.trim();
        let hex = v.bytes().all(|b| b.is_ascii_hexdigit());
        let base64 = v.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'='));
        Some(match v.len() {
            0 => return None,
            64 if hex => Self::Sha256,
            40 if hex => Self::Sha1,
            32 if hex => Self::Md5,
            43 | 44 if base64 && !v.contains('@') => Self::Sha256,
            n if n >= 24 && (hex || base64) && v.bytes().any(|b| b.is_ascii_digit()) => Self::Hashed,
            _ => Self::Plain,
        })
    }
}

/// A vendor decoder: which requests it reads and how.
struct Vendor {
    name: &'static str,
    /// Hosts it reads, each with its subdomains.
    domains: &'static [&'static str],
    /// Path prefixes it reads (empty: every path); `;` and `?` count as part of the path.
    paths: &'static [&'static str],
    read: fn(&Params, &str, &mut Decoded),
}

/// Every decoder, most specific first (a host may have two: Google Ads and Floodlight on doubleclick.net).
const VENDORS: &[Vendor] = &[
    Vendor { name: "Meta Pixel", domains: &["facebook.com"], paths: &["/tr/", "/tr?"], read: web::meta },
    Vendor { name: "Google Analytics 4", domains: &["google-analytics.com", "analytics.google.com"], paths: &["/g/collect"], read: web::ga4 },
    Vendor {
        name: "Google Universal Analytics",
        domains: &["google-analytics.com"],
        paths: &["/collect", "/j/collect", "/r/collect", "/__utm.gif"],
        read: web::universal_analytics,
    },
    Vendor {
        name: "Google Ads",
        domains: &["googleadservices.com", "google.com", "googleads.g.doubleclick.net"],
        paths: &["/pagead/conversion/", "/pagead/1p-conversion/", "/pagead/viewthroughconversion/", "/pagead/1p-user-list/"],
        read: web::google_ads,
    },
    Vendor {
        name: "Google Floodlight",
        domains: &["doubleclick.net"],
        paths: &["/activity;", "/activityi;", "/ddm/activity/", "/ddm/fls/"],
        read: web::floodlight,
    },
    Vendor { name: "TikTok Pixel", domains: &["analytics.tiktok.com", "analytics-sg.tiktok.com"], paths: &[], read: web::tiktok },
    Vendor { name: "Pinterest Tag", domains: &["ct.pinterest.com"], paths: &[], read: web::pinterest },
    Vendor { name: "Snap Pixel", domains: &["tr.snapchat.com", "tr-shadow.snapchat.com"], paths: &[], read: web::snap },
    Vendor { name: "Reddit Pixel", domains: &["alb.reddit.com", "events.redditmedia.com"], paths: &[], read: web::reddit },
    Vendor { name: "Microsoft UET", domains: &["bat.bing.com", "bat.bing.net"], paths: &["/action/"], read: web::bing },
    Vendor { name: "LinkedIn Insight Tag", domains: &["px.ads.linkedin.com", "dc.ads.linkedin.com"], paths: &[], read: web::linkedin },
    Vendor { name: "X Pixel", domains: &["analytics.twitter.com", "t.co"], paths: &["/i/adsct"], read: web::x },
    Vendor { name: "Mailchimp", domains: &["list-manage.com"], paths: &["/track/open.php"], read: email::mailchimp },
    Vendor { name: "ActiveCampaign", domains: &["activehosted.com"], paths: &["/lt.php"], read: email::active_campaign },
    Vendor { name: "SendGrid", domains: &["sendgrid.net"], paths: &["/wf/open"], read: email::sendgrid },
];

/// Decodes what a pixel request to `url` would have sent; `None` when no decoder knows its host
/// and path, or the decoder found nothing. A webmail image-proxy URL is decoded by the URL it carries.
pub fn decode(url: &str) -> Option<Decoded> {
    let proxied = super::mail_proxy(url);
    let url: &str = proxied.as_ref().map_or(url, |p| &p.original);
    let (host, path) = host_and_path(url)?;
    let vendor = VENDORS.iter().find(|v| reads(v, host, path))?;
    let params = Params::of(url);
    let mut decoded = Decoded { vendor: vendor.name, ..Decoded::default() };
    (vendor.read)(&params, path, &mut decoded);
    // An address in any parameter (a page URL's `?email=`, a custom field) is sent as typed.
    if params.iter().any(|(_, v)| params::has_email(v)) {
        decoded.personal.insert("email", Form::Plain);
    }
    if decoded.action.is_none() {
        decoded.action = decoded.event.as_deref().and_then(Action::of_event);
    }
    let found = decoded.event.is_some() || decoded.value.is_some() || !decoded.ids.is_empty() || !decoded.personal.is_empty();
    found.then_some(decoded)
}

fn reads(vendor: &Vendor, host: &str, path: &str) -> bool {
    vendor.domains.iter().any(|d| is_or_under(host, d)) && (vendor.paths.is_empty() || vendor.paths.iter().any(|p| path.starts_with(p)))
}

/// `host` is `domain` or one of its subdomains (ASCII case-insensitive).
fn is_or_under(host: &str, domain: &str) -> bool {
    let (h, d) = (host.as_bytes(), domain.as_bytes());
    h.len() >= d.len() && h[h.len() - d.len()..].eq_ignore_ascii_case(d) && (h.len() == d.len() || h[h.len() - d.len() - 1] == b'.')
}

/// The host and the path (with its query) of an absolute http(s) URL, without parsing it fully:
/// this runs for every request the engine checks.
fn host_and_path(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let rest = rest.split('#').next().unwrap_or(rest);
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.split(':').next().unwrap_or(host).trim_end_matches('.');
    let path = &rest[end..];
    (!host.is_empty()).then_some((host, if path.is_empty() { "/" } else { path }))
}

/// The webRequest match patterns of every decoded endpoint (`*://*.facebook.com/tr*`, …), so
/// the shell can watch for these requests without asking the core about every other one.
pub fn endpoint_patterns() -> Vec<String> {
    let mut out = Vec::new();
    for vendor in VENDORS {
        for domain in vendor.domains {
            let paths: &[&str] = if vendor.paths.is_empty() { &["/"] } else { vendor.paths };
            for path in paths {
                // A match pattern's path is literal up to `*`; `;` and `?` belong to the query.
                let path = path.split([';', '?']).next().unwrap_or(path);
                let pattern = format!("*://*.{domain}{path}*");
                if !out.contains(&pattern) {
                    out.push(pattern);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
