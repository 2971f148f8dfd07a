//! adblock-rust alone in wasm, as its users build it (optimised engine, no debug info, so no filter
//! names): `Request::new` + `check_network_request`, a boolean back. The wasm twin of the native
//! floor in crate/examples/bench.rs.

use adblock::lists::{FilterSet, ParseOptions, RuleTypes};
use adblock::request::Request;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Plain(adblock::Engine);

#[wasm_bindgen]
impl Plain {
    /// An engine over the given list texts, network filters only (as the native floor).
    #[wasm_bindgen(constructor)]
    pub fn new(lists: Vec<String>) -> Plain {
        let mut set = FilterSet::new(false);
        let options = ParseOptions { rule_types: RuleTypes::NetworkOnly, ..Default::default() };
        for text in lists {
            set.add_filter_list(text, options);
        }
        pixelguard::parse_url(""); // installs our public-suffix resolver, which adblock's Request::new needs
        Plain(adblock::Engine::new_with_filter_set(set))
    }

    /// Whether adblock blocks the request; an unparsable one is not blocked.
    pub fn check(&self, url: &str, source_url: &str, request_type: &str) -> bool {
        Request::new(url, source_url, request_type, "GET").is_ok_and(|r| self.0.check_network_request(&r).should_block())
    }
}
