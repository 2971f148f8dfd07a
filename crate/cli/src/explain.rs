//! `pixelguard check --explain`: a verdict, and what the request would have sent, in words.

use pixelguard::pixels::{Decoded, Form};
use pixelguard::{Decision, FilterRef, Verdict};

/// The verdict in words (through which webmail proxy, by which filter, whose pixel); a decoded
/// request adds a line saying what it would have sent.
pub fn verdict(v: &Verdict) -> String {
    let describe =
        |f: &FilterRef| format!("`{}` ({} line {})", f.text, f.list.as_deref().unwrap_or("?"), f.line.map_or("?".into(), |l| l.to_string()));
    let via = v.proxied.as_ref().map(|p| format!("{} image proxy carrying {}: ", p.via, p.original)).unwrap_or_default();
    let company =
        || v.company.as_deref().map(|c| format!(" ({c}{})", v.kind.map(|k| format!(", {}", k.name())).unwrap_or_default())).unwrap_or_default();
    let mut out = match (v.decision, &v.filter, &v.exception) {
        (Decision::Blocked, Some(f), _) => format!("{via}blocked by {}{}", describe(f), company()),
        (Decision::Allowed, _, Some(e)) => format!("{via}allowed by exception {}{}", describe(e), company()),
        _ => format!("{via}no filter matched"),
    };
    if let Some(d) = &v.decoded {
        let tense = if v.decision == Decision::Blocked { "would have sent" } else { "sends" };
        out.push_str(&format!("\n{} ({}) {tense}: {}", v.company.as_deref().unwrap_or("?"), d.vendor, decoded(d)));
    }
    out
}

/// `Purchase, 59.00 EUR, order T-1001, your email (SHA-256 hash), from shop.example/checkout;
/// ids: pixel 1234, browser cookie fb.1.…`
pub fn decoded(d: &Decoded) -> String {
    let mut parts = Vec::new();
    if let Some(event) = &d.event {
        parts.push(match d.action {
            Some(action) if !action.name().eq_ignore_ascii_case(event) => format!("{event} (a {} event)", action.name()),
            _ => event.clone(),
        });
    }
    match (&d.value, &d.currency) {
        (Some(value), Some(currency)) => parts.push(format!("{value} {currency}")),
        (Some(value), None) => parts.push(format!("value {value}")),
        _ => {}
    }
    if let Some(order) = &d.order_id {
        parts.push(format!("order {order}"));
    }
    for (what, form) in &d.personal {
        let what = match *what {
            "phone" => "phone number",
            "address" => "address",
            other => other,
        };
        parts.push(match form {
            Form::Plain => format!("your {what} as typed"),
            Form::Hashed => format!("your {what} (hashed)"),
            hash => format!("your {what} ({} hash)", hash.name().to_ascii_uppercase().replace("SHA", "SHA-")),
        });
    }
    if let Some(page) = &d.page {
        parts.push(format!("from {}", page.trim_start_matches("https://").trim_start_matches("http://")));
    }
    let mut out = parts.join(", ");
    if !d.ids.is_empty() {
        let ids: Vec<String> = d.ids.iter().map(|(name, value)| format!("{} {value}", id_name(name))).collect();
        out.push_str(&format!("{}identifiers: {}", if out.is_empty() { "" } else { "; " }, ids.join(", ")));
    }
    out
}

fn id_name(name: &str) -> &str {
    match name {
        "client" => "browser cookie",
        "click" => "ad click",
        "conversionLabel" => "conversion label",
        "activityGroup" => "activity group",
        other => other,
    }
}
