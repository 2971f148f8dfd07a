//! PixelGuard's core for JS, the only wasm-bindgen code: a JS class over the core's Engine, list
//! analysis, the DNR compiler, list-update diff, registrable domains and the webmail hold rules;
//! errors become JS Errors. Every argument arrives as a `JsValue` and is checked here (see
//! `string_arg` and the helpers below it): any JS value is an answer or a clear Error, never a
//! trap, and no JS exception passes through Rust code.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use pixelguard::dnr::{Browser, Budget, CompileOptions, FilterSource, ListReport, Rule, compile, diff_update};
use pixelguard::{Engine, ListSource, analyse, check_list_ids};

/// A list as JS passes it: `{ id, title, text }`.
#[derive(Deserialize)]
struct JsList {
    id: String,
    #[serde(default)]
    title: String,
    text: String,
}

impl From<JsList> for ListSource {
    fn from(l: JsList) -> Self {
        ListSource::new(l.id, l.title, l.text)
    }
}

fn lists_from_js(lists: &JsValue) -> Result<Vec<ListSource>, JsError> {
    let lists: Vec<JsList> = serde_wasm_bindgen::from_value(plain("lists", lists)?).map_err(|e| arg_error("lists", e))?;
    Ok(lists.into_iter().map(ListSource::from).collect())
}

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&shown(e.to_string()))
}

/// Longest error message passed to JS: messages quote the input, which may be megabytes long.
const MAX_MESSAGE: usize = 300;

fn shown(mut message: String) -> String {
    if let Some((cut, _)) = message.char_indices().nth(MAX_MESSAGE) {
        message.truncate(cut);
        message.push('…');
    }
    message
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(js_error)
}

/// PixelGuard's engine for JS: build from lists or a snapshot, check requests.
#[wasm_bindgen(js_name = Engine)]
pub struct WasmEngine(Engine);

#[wasm_bindgen(js_class = Engine)]
impl WasmEngine {
    /// `Engine.fromLists([{ id, title, text }, …])`
    #[wasm_bindgen(js_name = fromLists)]
    pub fn from_lists(lists: JsValue) -> Result<WasmEngine, JsError> {
        Engine::from_lists(&lists_from_js(&lists)?).map(WasmEngine).map_err(js_error)
    }

    /// `Engine.fromSnapshot(bytes: Uint8Array)`; refuses bytes from another build.
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(bytes: JsValue) -> Result<WasmEngine, JsError> {
        Engine::from_snapshot(&bytes_arg("bytes", &bytes)?).map(WasmEngine).map_err(js_error)
    }

    /// The compiled engine and its list metadata as bytes (a `Uint8Array`).
    pub fn snapshot(&self) -> js_sys::Uint8Array {
        js_sys::Uint8Array::from(self.0.snapshot().as_slice())
    }

    /// `check(url, sourceUrl, type)` → `{ decision, filter, exception, important, redirect, rewrittenUrl,
    /// company, category, kind, host, decoded }`.
    pub fn check(&self, url: JsValue, source_url: JsValue, resource_type: JsValue) -> Result<JsValue, JsError> {
        let (url, source_url, resource_type) = (string_arg("url", &url)?, string_arg("sourceUrl", &source_url)?, string_arg("type", &resource_type)?);
        to_js(&self.0.check(&url, &source_url, &resource_type).map_err(js_error)?)
    }

    /// `suspect({ url, sourceUrl, type, width, height, naturalWidth, naturalHeight, hidden, repeats })`
    /// → `{ suspected, score, reasons, host, domain, company }`; missing fields read as unknown.
    pub fn suspect(&self, report: JsValue) -> Result<JsValue, JsError> {
        let report: pixelguard::PixelReport = serde_wasm_bindgen::from_value(plain("report", &report)?).map_err(|e| arg_error("report", e))?;
        to_js(&self.0.suspect(&report))
    }

    /// Per list: id, title, version, homepage, expiresHours and stats (network, cosmetic, invalid).
    #[wasm_bindgen(js_name = listStats)]
    pub fn list_stats(&self) -> Result<JsValue, JsError> {
        to_js(&self.0.lists())
    }
}

/// `analyseList({ id, title, text })` → the list's header and statistics (id, title, version,
/// homepage, expiresHours, stats), as `listStats` reports them, without building an engine.
#[wasm_bindgen(js_name = analyseList)]
pub fn analyse_list(list: JsValue) -> Result<JsValue, JsError> {
    let list: JsList = serde_wasm_bindgen::from_value(plain("list", &list)?).map_err(|e| arg_error("list", e))?;
    to_js(&analyse(&list.into()))
}

/// `compileDnr` options: `{ firstId?, dynamic?, budget?: { rules, unsafeRules, regexRules } }`.
/// `dynamic: true` budgets for dynamic rules (custom lists) instead of static rulesets.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct JsCompileOptions {
    first_id: Option<u32>,
    dynamic: bool,
    budget: Option<Budget>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsCompiled<'a> {
    rules: Vec<&'a Rule>,
    /// Keyed by the rule id as a string: plain JS objects only take string keys.
    source_map: BTreeMap<String, &'a Vec<FilterSource>>,
    reports: Vec<&'a ListReport>,
}

/// `compileDnr([{ id, title, text }, …], "chrome" | "firefox", options?)` →
/// `{ rules, sourceMap: { [ruleId]: [{ list, line, filter }] }, reports: [ListReport] }`.
#[wasm_bindgen(js_name = compileDnr)]
pub fn compile_dnr(lists: JsValue, browser: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let browser: Browser = string_arg("browser", &browser)?.parse().map_err(js_error)?;
    let options: Option<JsCompileOptions> = serde_wasm_bindgen::from_value(plain("options", &options)?).map_err(|e| arg_error("options", e))?;
    let options = options.unwrap_or_default();
    let mut compile_options = CompileOptions::new(browser);
    if options.dynamic {
        compile_options.budget = Budget::dynamic_rules(browser);
    }
    compile_options.budget = options.budget.unwrap_or(compile_options.budget);
    compile_options.first_id = options.first_id.unwrap_or(compile_options.first_id);
    let lists = lists_from_js(&lists)?;
    check_list_ids(&lists).map_err(js_error)?;
    let compiled = compile(&lists, &compile_options).map_err(js_error)?;
    to_js(&JsCompiled {
        rules: compiled.rules().collect(),
        source_map: compiled.lists.iter().flat_map(|l| l.source_map.iter().map(|(id, s)| (id.to_string(), s))).collect(),
        reports: compiled.lists.iter().map(|l| &l.report).collect(),
    })
}

/// `registrableDomain(url)` → the URL's registrable domain (`shop.example.co.uk`), its host when it
/// has none (an IP address, `localhost`), or undefined for a URL without a host.
#[wasm_bindgen(js_name = registrableDomain)]
pub fn registrable_domain(url: JsValue) -> Result<Option<String>, JsError> {
    Ok(pixelguard::pixels::host_and_domain(&string_arg("url", &url)?).map(|(_, domain)| domain))
}

/// `diffUpdate(oldText, sourceMapJson, listId, newText, maxDisabled)` → `{ text, disableRuleIds,
/// removed, removalsLeftOut }`: a new copy of a list against the copy its static ruleset (whose
/// source map is `sourceMapJson`) was compiled from.
#[wasm_bindgen(js_name = diffUpdate)]
pub fn diff_update_js(
    old_text: JsValue,
    source_map_json: JsValue,
    list_id: JsValue,
    new_text: JsValue,
    max_disabled: JsValue,
) -> Result<JsValue, JsError> {
    let (old_text, list_id, new_text) = (string_arg("oldText", &old_text)?, string_arg("listId", &list_id)?, string_arg("newText", &new_text)?);
    let source_map: BTreeMap<u32, Vec<FilterSource>> =
        serde_json::from_str(&string_arg("sourceMapJson", &source_map_json)?).map_err(|e| arg_error("sourceMapJson", e))?;
    to_js(&diff_update(&old_text, &source_map, &list_id, &new_text, count_arg("maxDisabled", &max_disabled)? as usize))
}

// Arguments. wasm-bindgen's own `&str` and `&[u8]` conversions run in its JS glue and trap
// ("memory access out of bounds") on a number or an object, and serde-wasm-bindgen reads
// objects with calls that let a throwing getter or proxy trap unwind through Rust frames
// (leaving an engine's borrow flag set). So values are checked with calls that cannot run a
// page's code (`typeof`, `instanceof`), or copied by ones that catch what it throws.

fn arg_error(name: &str, why: impl std::fmt::Display) -> JsError {
    js_error(format!("{name}: {why}"))
}

fn type_error(name: &str, expected: &str, value: &JsValue) -> JsError {
    let got = value.js_typeof().as_string().unwrap_or_default();
    JsError::new(&format!("{name} must be {expected}, not {}", if value.is_null() { "null" } else { &got }))
}

/// What a caught JS exception says, when it has a string message.
fn thrown(name: &str, exception: JsValue) -> JsError {
    let message = js_sys::Reflect::get(&exception, &"message".into()).ok().and_then(|m| m.as_string());
    arg_error(name, message.or_else(|| exception.as_string()).unwrap_or_else(|| "reading it threw".into()))
}

fn string_arg(name: &str, value: &JsValue) -> Result<String, JsError> {
    value.as_string().ok_or_else(|| type_error(name, "a string", value))
}

/// A whole number in 0..=2³²−1.
fn count_arg(name: &str, value: &JsValue) -> Result<u32, JsError> {
    let n = value.as_f64().ok_or_else(|| type_error(name, "a number", value))?;
    if n.fract() != 0.0 || !(0.0..=f64::from(u32::MAX)).contains(&n) {
        return Err(arg_error(name, format!("{n} is not a whole number from 0 to {}", u32::MAX)));
    }
    Ok(n as u32)
}

/// The bytes of a `Uint8Array`, copied through a fresh view made by a caught `Reflect.construct`
/// (a detached buffer, or getters that throw or lie, end as an Error, not in Rust).
fn bytes_arg(name: &str, value: &JsValue) -> Result<Vec<u8>, JsError> {
    use js_sys::{Array, Reflect, Uint8Array};
    if !value.is_instance_of::<Uint8Array>() {
        return Err(type_error(name, "a Uint8Array", value));
    }
    let get = |key: &str| Reflect::get(value, &key.into()).map_err(|e| thrown(name, e));
    let args = Array::of3(&get("buffer")?, &get("byteOffset")?, &get("length")?);
    let view = Reflect::construct(&Uint8Array::new_with_length(0).constructor(), &args).map_err(|e| thrown(name, e))?;
    Ok(view.unchecked_into::<Uint8Array>().to_vec())
}

/// A plain-data copy of `value` (`structuredClone`, caught): getters and proxy traps run, and
/// throw, inside it; serde-wasm-bindgen then reads the copy, which runs no page code.
fn plain(name: &str, value: &JsValue) -> Result<JsValue, JsError> {
    use js_sys::{Function, Reflect};
    let clone: Function = Reflect::get(&js_sys::global(), &"structuredClone".into()).map_err(|e| thrown(name, e))?.unchecked_into();
    clone.call1(&JsValue::UNDEFINED, value).map_err(|e| thrown(name, e))
}
