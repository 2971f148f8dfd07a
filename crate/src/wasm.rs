//! The only wasm-bindgen code: a JS class over the core's Engine; errors become JS Errors.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::{Engine, ListSource};

/// A list as JS passes it: `{ id, title, text }`.
#[derive(Deserialize)]
struct JsList {
    id: String,
    #[serde(default)]
    title: String,
    text: String,
}

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(js_error)
}

/// PixelGuard's engine for JS: build from lists or a snapshot, check requests.
#[wasm_bindgen(js_name = Engine)]
pub struct WasmEngine(Engine);

#[wasm_bindgen(js_class = Engine)]
impl WasmEngine {
    /// `Engine.fromLists([{ id, title, text }, …])`
    #[wasm_bindgen(js_name = fromLists)]
    pub fn from_lists(lists: JsValue) -> Result<WasmEngine, JsError> {
        let lists: Vec<JsList> = serde_wasm_bindgen::from_value(lists).map_err(js_error)?;
        let lists: Vec<ListSource> = lists.into_iter().map(|l| ListSource::new(l.id, l.title, l.text)).collect();
        Engine::from_lists(&lists).map(WasmEngine).map_err(js_error)
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
        let report: crate::PixelReport = serde_wasm_bindgen::from_value(report).map_err(js_error)?;
        to_js(&self.0.suspect(&report))
    }

    /// Per list: id, title, version, homepage, expiresHours and stats (network, cosmetic, invalid).
    #[wasm_bindgen(js_name = listStats)]
    pub fn list_stats(&self) -> Result<JsValue, JsError> {
        to_js(&self.0.lists())
    }
}
