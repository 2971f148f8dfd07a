//! declarativeNetRequest: filter lists compiled to per-browser DNR rulesets with a source map and
//! report, and an offline DNR matcher to check them.
//!
//! Filters are read by adblock's own parser (debug mode, so the raw text is kept); domain and
//! method options are recovered from that text, since adblock keeps only their hashes. What DNR
//! cannot express faithfully is refused with a [`Reason`], never dropped or loosened.
//! Semantics follow the engine: a bare `||host^` also blocks `main_frame` (as adblock does), and
//! `csp_report` is never matched. Priorities: [`PRIORITY`], uBlock Origin Lite's for compiled rules.
//! Email-open pixel filters also get webmail-proxy twins (`twins.rs`): the rules that block them
//! behind Gmail's, Outlook's, Yahoo's and Proton's image proxies; the webmail hold (`hold.rs`) keeps
//! those proxies' images back until the webmail content script releases them.
//!
//! # Usage
//! ```
//! use pixelguard::ListSource;
//! use pixelguard::dnr::{Browser, CompileOptions, Matcher, Request, ResourceType, compile};
//!
//! let list = ListSource::new("privacy", "", "||tracker.example^$third-party\n@@||tracker.example/ok.gif\n");
//! let compiled = compile(&[list], &CompileOptions::new(Browser::Chrome)).unwrap();
//! let out = &compiled.lists[0];
//! assert_eq!(out.report.accepted, 2);
//! let matcher = Matcher::new(out.rules.clone()).unwrap();
//! let pixel = Request::new("https://tracker.example/p.gif", Some("https://shop.example/"), ResourceType::Image);
//! assert!(matcher.blocks(&pixel));
//! let id = matcher.matched(&pixel).unwrap().id;
//! assert_eq!(out.source_map[&id][0].filter, "||tracker.example^$third-party");
//! ```

mod browser;
mod compile;
mod convert;
mod hold;
mod matcher;
mod priority;
mod re2;
mod report;
mod schema;
mod twins;
mod update;

pub use browser::{Browser, HOSTNAME_MAX_LEN, HOSTNAME_PATTERN, Limits};
pub use compile::{Budget, CompileOptions, Compiled, CompiledList, MAX_RULE_ID, compile};
pub use hold::{RELEASE_PARAM, hold_template};
pub use matcher::{Matcher, Request};
pub use priority::{PRIORITY, Priorities};
pub use report::{FilterSource, ListReport, Reason, Refusal, SourceMap};
pub use schema::{Action, ActionType, Condition, DomainType, RequestMethod, ResourceType, Rule};
pub use update::{ListUpdate, diff_update};
