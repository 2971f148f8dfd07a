//! PixelGuard's core for JS, the only wasm-bindgen code: a JS class over the core's Engine, list
//! analysis, the DNR compiler and list-update diff; errors become JS Errors.

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

fn lists_from_js(lists: JsValue) -> Result<Vec<ListSource>, JsError> {
    let lists: Vec<JsList> = serde_wasm_bindgen::from_value(lists).map_err(js_error)?;
    Ok(lists.into_iter().map(ListSource::from).collect())
}

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
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
        Engine::from_lists(&lists_from_js(lists)?).map(WasmEngine).map_err(js_error)
    }

    /// `Engine.fromSnapshot(bytes: Uint8Array)`; refuses bytes from another build.
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(bytes: &[u8]) -> Result<WasmEngine, JsError> {
        Engine::from_snapshot(bytes).map(WasmEngine).map_err(js_error)
    }

    /// The compiled engine and its list metadata as bytes (a `Uint8Array`).
    pub fn snapshot(&self) -> js_sys::Uint8Array {
        js_sys::Uint8Array::from(self.0.snapshot().as_slice())
    }

    /// `check(url, sourceUrl, type)` → `{ decision, filter, exception, important, redirect, rewrittenUrl,
    /// company, category, kind, host }`.
    pub fn check(&self, url: &str, source_url: &str, resource_type: &str) -> Result<JsValue, JsError> {
        to_js(&self.0.check(url, source_url, resource_type).map_err(js_error)?)
    }

    /// `suspect({ url, sourceUrl, type, width, height, naturalWidth, naturalHeight, hidden, repeats })`
    /// → `{ suspected, score, reasons, host, domain, company }`; missing fields read as unknown.
    pub fn suspect(&self, report: JsValue) -> Result<JsValue, JsError> {
        let report: pixelguard::PixelReport = serde_wasm_bindgen::from_value(report).map_err(js_error)?;
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
    let list: JsList = serde_wasm_bindgen::from_value(list).map_err(js_error)?;
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
pub fn compile_dnr(lists: JsValue, browser: &str, options: JsValue) -> Result<JsValue, JsError> {
    let browser: Browser = browser.parse().map_err(js_error)?;
    let options: Option<JsCompileOptions> = serde_wasm_bindgen::from_value(options).map_err(js_error)?;
    let options = options.unwrap_or_default();
    let mut compile_options = CompileOptions::new(browser);
    if options.dynamic {
        compile_options.budget = Budget::dynamic_rules(browser);
    }
    compile_options.budget = options.budget.unwrap_or(compile_options.budget);
    compile_options.first_id = options.first_id.unwrap_or(compile_options.first_id);
    let lists = lists_from_js(lists)?;
    check_list_ids(&lists).map_err(js_error)?;
    let compiled = compile(&lists, &compile_options).map_err(js_error)?;
    to_js(&JsCompiled {
        rules: compiled.rules().collect(),
        source_map: compiled.lists.iter().flat_map(|l| l.source_map.iter().map(|(id, s)| (id.to_string(), s))).collect(),
        reports: compiled.lists.iter().map(|l| &l.report).collect(),
    })
}

/// `diffUpdate(oldText, sourceMapJson, listId, newText, maxDisabled)` → `{ text, disableRuleIds,
/// removed, removalsLeftOut }`: a new copy of a list against the copy its static ruleset (whose
/// source map is `sourceMapJson`) was compiled from.
#[wasm_bindgen(js_name = diffUpdate)]
pub fn diff_update_js(old_text: &str, source_map_json: &str, list_id: &str, new_text: &str, max_disabled: u32) -> Result<JsValue, JsError> {
    let source_map: BTreeMap<u32, Vec<FilterSource>> = serde_json::from_str(source_map_json).map_err(js_error)?;
    to_js(&diff_update(old_text, &source_map, list_id, new_text, max_disabled as usize))
}
