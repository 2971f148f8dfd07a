//! A request's parameters, percent-decoded, and the checks that turn them into decoded fields.

use std::borrow::Cow;

use super::{Decoded, Form};

/// At most this many parameters are read from one URL, and at most this many bytes of a value
/// kept: a decoded field is for reading, not a copy of the request.
const MAX_PARAMS: usize = 200;
const MAX_TEXT: usize = 300;

/// A URL's parameters in order, keys and values percent-decoded (`+` read as a space).
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// The parameters of `url`'s query (after `?`, before `#`).
    pub fn of(url: &str) -> Self {
        let url = url.split('#').next().unwrap_or(url);
        Self::split(url.split_once('?').map_or("", |(_, q)| q), &['&'])
    }

    /// `key=value` pairs separated by any of `separators` (`&` in queries; `;` and `/` in
    /// Floodlight paths).
    pub fn split(text: &str, separators: &[char]) -> Self {
        let pairs = text
            .split(separators)
            .filter(|kv| !kv.is_empty())
            .take(MAX_PARAMS)
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                (unescape(k), unescape(v))
            })
            .collect();
        Self(pairs)
    }

    /// The first non-empty value of `key`.
    #[inline(never)]
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, v)| k == key && !v.trim().is_empty()).map(|(_, v)| v.as_str())
    }

    /// The first non-empty value among `keys`, in their order.
    pub fn first(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|k| self.get(k))
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

fn unescape(text: &str) -> String {
    let spaced: Cow<str> = if text.contains('+') { Cow::Owned(text.replace('+', " ")) } else { Cow::Borrowed(text) };
    percent_encoding::percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

/// `text` trimmed and cut to `MAX_TEXT` bytes (at a character boundary); `None` when empty.
pub fn clip(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut end = text.len().min(MAX_TEXT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Some(text[..end].to_string())
}

/// Whether a value contains an email address (`name@domain.tld`), also once more
/// percent-encoded (a page address carried in a parameter: `…%3Femail%3Djane%2540example.com`).
pub fn has_email(value: &str) -> bool {
    has_plain_email(value) || (value.contains("%40") && has_plain_email(&unescape(value)))
}

fn has_plain_email(value: &str) -> bool {
    value.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>' | '"' | '\'' | '&' | '=' | '?' | '/')).any(|word| {
        let Some((name, domain)) = word.split_once('@') else { return false };
        !name.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
    })
}

/// Field setters: each keeps the first valid value it is given. Not inlined: the decoders call
/// them some 150 times (inlined, map insertions included, the wasm was 11 KB larger).
impl Decoded {
    #[inline(never)]
    pub(super) fn event(&mut self, value: Option<&str>) {
        if self.event.is_none() {
            self.event = value.and_then(clip);
        }
    }

    /// A value: digits with at most one `.` or `,` (a leading `-` allowed); `0` is no value.
    #[inline(never)]
    pub(super) fn value(&mut self, value: Option<&str>) {
        let Some(v) = value.map(str::trim) else { return };
        let digits = v.strip_prefix('-').unwrap_or(v);
        let well_formed = !digits.is_empty()
            && digits.len() <= 20
            && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
            && digits.bytes().filter(|&b| b == b'.' || b == b',').count() <= 1
            && digits.bytes().next().is_some_and(|b| b.is_ascii_digit());
        let zero = digits.bytes().all(|b| matches!(b, b'0' | b'.' | b','));
        if self.value.is_none() && well_formed && !zero {
            self.value = Some(v.to_string());
        }
    }

    /// A currency: three ASCII letters, kept in upper case.
    #[inline(never)]
    pub(super) fn currency(&mut self, value: Option<&str>) {
        let Some(v) = value.map(str::trim) else { return };
        if self.currency.is_none() && v.len() == 3 && v.bytes().all(|b| b.is_ascii_alphabetic()) {
            self.currency = Some(v.to_ascii_uppercase());
        }
    }

    #[inline(never)]
    pub(super) fn order(&mut self, value: Option<&str>) {
        if self.order_id.is_none() {
            self.order_id = value.and_then(clip);
        }
    }

    #[inline(never)]
    pub(super) fn page(&mut self, value: Option<&str>) {
        if self.page.is_none() {
            self.page = value.and_then(clip);
        }
    }

    #[inline(never)]
    pub(super) fn referrer(&mut self, value: Option<&str>) {
        if self.referrer.is_none() {
            self.referrer = value.and_then(clip);
        }
    }

    /// An identifier, by what it identifies (`pixel`, `client`, …); `0` is no identifier.
    #[inline(never)]
    pub(super) fn id(&mut self, name: &'static str, value: Option<&str>) {
        if let Some(v) = value.and_then(clip).filter(|v| v != "0") {
            self.ids.entry(name).or_insert(v);
        }
    }

    /// Personal data of kind `name` (`email`, `phone`, …), recorded by its form only.
    #[inline(never)]
    pub(super) fn personal(&mut self, name: &'static str, value: Option<&str>) {
        let form = value.and_then(|v| if name == "email" && has_email(v) { Some(Form::Plain) } else { Form::of(v) });
        if let Some(form) = form {
            self.personal.entry(name).or_insert(form);
        }
    }
}
