//! Decoders of web pixels and tags (ad platforms' conversion and retargeting pixels, analytics
//! hits), each reading its vendor's documented parameters.

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, Visitor};

use super::{Action, Decoded, Params};

/// The personal-data fields of Meta's advanced matching (`ud[…]`) and Pinterest's (`pd[…]`).
const MATCHING_FIELDS: &[(&str, &str)] = &[
    ("em", "email"),
    ("ph", "phone"),
    ("fn", "name"),
    ("ln", "name"),
    ("ct", "address"),
    ("st", "address"),
    ("zp", "address"),
    ("country", "address"),
    ("db", "birthdate"),
    ("ge", "gender"),
];

/// Meta Pixel (`facebook.com/tr`): `id` pixel, `ev` event, `dl` page, `rl` referrer,
/// `cd[value]`, `cd[currency]`, `cd[order_id]`/`cd[transaction_id]`, advanced matching `ud[em]`,
/// `ud[ph]`, `ud[fn]`, `ud[ln]`, `ud[ct]`, `ud[st]`, `ud[zp]`, `ud[country]`, `ud[db]`, `ud[ge]`,
/// `ud[external_id]`; cookies `fbp` (browser id) and `fbc` (click id); `eid` event id.
pub fn meta(p: &Params, _path: &str, d: &mut Decoded) {
    d.id("pixel", p.get("id"));
    d.event(p.get("ev"));
    d.page(p.get("dl"));
    d.referrer(p.get("rl"));
    d.value(p.get("cd[value]"));
    d.currency(p.get("cd[currency]"));
    d.order(p.first(&["cd[order_id]", "cd[transaction_id]"]));
    for (field, kind) in MATCHING_FIELDS {
        d.personal(kind, p.get(&format!("ud[{field}]")));
    }
    d.id("user", p.get("ud[external_id]"));
    d.id("client", p.get("fbp"));
    d.id("click", p.get("fbc"));
    d.id("event", p.get("eid"));
}

/// Google's user-provided data (enhanced conversions): `tv.1~em.<hash>~ph.<hash>~…`, or one
/// address as is.
fn google_user_data(value: Option<&str>, d: &mut Decoded) {
    let Some(value) = value else { return };
    if !value.contains('~') {
        return d.personal("email", Some(value));
    }
    for part in value.split('~') {
        let Some((key, v)) = part.split_once('.') else { continue };
        let kind = match key {
            "em" => "email",
            "ph" => "phone",
            "fn" | "ln" => "name",
            "sa" | "ct" | "re" | "pc" | "co" => "address",
            _ => continue,
        };
        d.personal(kind, Some(v));
    }
}

/// Google Analytics 4 (`/g/collect`): `tid` measurement id, `cid` client id, `sid` session,
/// `uid` user id, `en` event, `dl` page, `dr` referrer, `epn.value`/`ep.value`, `cu` currency,
/// `ep.transaction_id`, `em` user-provided data.
pub fn ga4(p: &Params, _path: &str, d: &mut Decoded) {
    d.id("pixel", p.get("tid"));
    d.id("client", p.get("cid"));
    d.id("session", p.get("sid"));
    d.id("user", p.get("uid"));
    d.event(p.get("en"));
    d.page(p.get("dl"));
    d.referrer(p.get("dr"));
    d.value(p.first(&["epn.value", "ep.value"]));
    d.currency(p.get("cu"));
    d.order(p.get("ep.transaction_id"));
    google_user_data(p.get("em"), d);
}

/// Universal Analytics (`/collect`, protocol v1; `__utm.gif`): `tid`/`utmac` property, `cid`
/// client, `uid` user, `t` hit type (`ea` the event action of an event hit), `dl`/`utmp` page,
/// `dr`/`utmr` referrer, `tr` revenue, `cu` currency, `ti` transaction id.
pub fn universal_analytics(p: &Params, _path: &str, d: &mut Decoded) {
    d.id("pixel", p.first(&["tid", "utmac"]));
    d.id("client", p.get("cid"));
    d.id("user", p.get("uid"));
    d.event(if p.get("t") == Some("event") { p.get("ea") } else { p.get("t") });
    d.page(p.first(&["dl", "utmp"]));
    d.referrer(p.first(&["dr", "utmr"]));
    d.value(p.get("tr"));
    d.currency(p.get("cu"));
    d.order(p.get("ti"));
}

/// Google Ads conversion and remarketing (`/pagead/conversion/<id>/`, `/pagead/1p-conversion/<id>/`,
/// `/pagead/viewthroughconversion/<id>/`, `/pagead/1p-user-list/<id>/`): the conversion id from the
/// path, `label` conversion label (the event), `value`, `currency_code`, `oid`/`transaction_id`
/// order, `url` page, `ref` referrer, `gclaw`/`gclid` click id, `em` user-provided data.
pub fn google_ads(p: &Params, path: &str, d: &mut Decoded) {
    let mut segments = path.split(['?', ';']).next().unwrap_or(path).split('/').filter(|s| !s.is_empty());
    let (_pagead, endpoint, id) = (segments.next(), segments.next(), segments.next());
    d.id("conversion", id);
    d.id("conversionLabel", p.get("label"));
    let remarketing = matches!(endpoint, Some("1p-user-list" | "viewthroughconversion"));
    d.event(p.get("label").or(remarketing.then_some("remarketing")));
    d.value(p.get("value"));
    d.currency(p.get("currency_code"));
    d.order(p.first(&["oid", "transaction_id"]));
    d.page(p.get("url"));
    d.referrer(p.get("ref"));
    d.id("click", p.first(&["gclaw", "gclid"]));
    google_user_data(p.get("em"), d);
}

/// Google Floodlight (`doubleclick.net/activity;…`, `/ddm/activity/…`): `src` advertiser,
/// `type` activity group, `cat` activity (the event), `cost` revenue, `ord` order id on sales
/// tags (those with `qty` or `cost`), `~oref` page; read from the path's `;` pairs and the query.
pub fn floodlight(p: &Params, path: &str, d: &mut Decoded) {
    let path_pairs = Params::split(path.split('?').next().unwrap_or(path), &[';', '/']);
    for source in [&path_pairs, p] {
        d.id("account", source.get("src"));
        d.id("activityGroup", source.get("type"));
        d.event(source.get("cat"));
        d.value(source.get("cost"));
        if source.get("qty").is_some() || source.get("cost").is_some() {
            d.order(source.get("ord"));
        }
        d.page(source.get("~oref"));
    }
}

/// TikTok Pixel (`analytics.tiktok.com`): events travel in a POST body the URL does not show;
/// the URL carries at most `sdkid`/`pixel_code` (pixel), `event`, `value`, `currency`, `ttp`
/// (browser id) and `ttclid` (click id).
pub fn tiktok(p: &Params, _path: &str, d: &mut Decoded) {
    d.id("pixel", p.first(&["sdkid", "pixel_code"]));
    d.event(p.get("event"));
    d.value(p.get("value"));
    d.currency(p.get("currency"));
    d.id("client", p.get("ttp"));
    d.id("click", p.get("ttclid"));
}

/// Pinterest Tag (`ct.pinterest.com/v3/`, `/user/`): `tid` tag id, `event` (`checkout` is
/// Pinterest's purchase), event data as `ed[value]`, `ed[currency]`, `ed[order_id]` or an `ed`
/// JSON object, `pd[em]` and the other matching fields (or `em` in a `pd` JSON object), `ad`
/// JSON with `loc` page and `ref` referrer, `epik` click id.
pub fn pinterest(p: &Params, _path: &str, d: &mut Decoded) {
    d.id("pixel", p.get("tid"));
    d.event(p.get("event"));
    if d.event.as_deref().is_some_and(|e| e.eq_ignore_ascii_case("checkout")) {
        d.action = Some(Action::Purchase);
    }
    let json = |key: &str| p.get(key).and_then(|v| serde_json::from_str::<Fields>(v).ok()).unwrap_or_default();
    let (event_data, auto, partner_data) = (json("ed"), json("ad"), json("pd"));
    let either = |key: &str, from_json: Option<Scalar>| p.get(key).map(str::to_string).or(from_json.map(|s| s.0));
    d.value(either("ed[value]", event_data.value).as_deref());
    d.currency(either("ed[currency]", event_data.currency).as_deref());
    d.order(either("ed[order_id]", event_data.order_id).as_deref());
    d.page(auto.loc.map(|s| s.0).as_deref());
    d.referrer(auto.r#ref.map(|s| s.0).as_deref());
    for (key, kind) in MATCHING_FIELDS {
        d.personal(kind, p.get(&format!("pd[{key}]")));
    }
    d.personal("email", partner_data.em.map(|s| s.0).as_deref());
    d.id("click", p.get("epik"));
}

/// The fields read from Pinterest's JSON parameters (`ed` event data, `ad` page data, `pd`
/// partner data); the others are skipped.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Fields {
    value: Option<Scalar>,
    currency: Option<Scalar>,
    order_id: Option<Scalar>,
    loc: Option<Scalar>,
    r#ref: Option<Scalar>,
    em: Option<Scalar>,
}

/// A JSON string, number or boolean, as text (a number in its shortest form); anything else is
/// no value.
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl Visitor<'_> for Text {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string, number or boolean")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        deserializer.deserialize_any(Text)
    }
}

/// Snap Pixel (`tr.snapchat.com/p`, `/cm/i`): `pid` pixel, `ev` event, `pl` page, `rf`
/// referrer, `u_c1` browser id, `u_hem` hashed email, `u_hpn` hashed phone.
pub fn snap(p: &Params, _path: &str, d: &mut Decoded) {
    d.id("pixel", p.get("pid"));
    d.event(p.get("ev"));
    d.page(p.get("pl"));
    d.referrer(p.get("rf"));
    d.id("client", p.get("u_c1"));
    d.personal("email", p.get("u_hem"));
    d.personal("phone", p.get("u_hpn"));
}

/// Reddit Pixel (`alb.reddit.com/rp.gif`): `id` pixel, `event` (a `Custom` one named by
/// `m.customEventName`), `m.valueDecimal` (else `m.value`), `m.currency`, `m.transactionId`,
/// `uuid` browser id, `click_id`, `em` email, `external_id`, `idfa`/`aaid` device ids.
pub fn reddit(p: &Params, _path: &str, d: &mut Decoded) {
    d.id("pixel", p.get("id"));
    let event = p.get("event");
    d.event(if event == Some("Custom") { p.get("m.customEventName").or(event) } else { event });
    d.value(p.first(&["m.valueDecimal", "m.value"]));
    d.currency(p.get("m.currency"));
    d.order(p.get("m.transactionId"));
    d.id("client", p.get("uuid"));
    d.id("click", p.get("click_id"));
    d.personal("email", p.get("em"));
    d.id("user", p.get("external_id"));
    d.id("device", p.first(&["idfa", "aaid"]));
}

/// Microsoft UET (`bat.bing.com/action/0`): `ti` tag id, `ea` event action (else `evt`,
/// `pageLoad` or `custom`), `gv` goal value (else `ev` event value), `gc` currency, `p` page,
/// `r` referrer, `vid` visitor id, `sid` session, `msclkid` click id (`N`: none).
pub fn bing(p: &Params, _path: &str, d: &mut Decoded) {
    d.id("pixel", p.get("ti"));
    d.event(p.first(&["ea", "evt"]));
    d.value(p.first(&["gv", "ev"]));
    d.currency(p.get("gc"));
    d.page(p.get("p"));
    d.referrer(p.get("r"));
    d.id("client", p.get("vid"));
    d.id("session", p.get("sid"));
    d.id("click", p.get("msclkid").filter(|&c| c != "N"));
}

/// LinkedIn Insight Tag (`px.ads.linkedin.com/collect/`): `pid` partner id, `conversionId`
/// (a conversion; without it a page view), `url` page, `li_fat_id` click id.
pub fn linkedin(p: &Params, _path: &str, d: &mut Decoded) {
    d.id("pixel", p.get("pid"));
    d.id("conversion", p.get("conversionId"));
    d.event(if p.get("conversionId").is_some() { Some("conversion") } else { p.get("pid").map(|_| "pageview") });
    d.page(p.get("url"));
    d.id("click", p.get("li_fat_id"));
}

/// X Pixel (`analytics.twitter.com/i/adsct`, `t.co/i/adsct`): `txn_id` pixel, `events` (a
/// JSON list of `[name, data]`), `tw_sale_amount` value, `tw_document_href` page, `twclid`
/// click id, `p_user_id` user.
pub fn x(p: &Params, _path: &str, d: &mut Decoded) {
    d.id("pixel", p.get("txn_id"));
    // `[["purchase", {…}], …]`: the first event's name.
    let events = p.get("events").and_then(|v| serde_json::from_str::<Vec<(Scalar, IgnoredAny)>>(v).ok());
    d.event(events.as_ref().and_then(|e| e.first()).map(|(name, _)| name.0.as_str()));
    d.value(p.get("tw_sale_amount"));
    d.page(p.get("tw_document_href"));
    d.id("click", p.get("twclid"));
    d.id("user", p.get("p_user_id"));
}
