//! PixelGuard's core: an adblock-rust engine over named filter lists, with verdicts that name
//! the filter and list behind them, snapshots, and a DNR compiler (`dnr`); plain Rust with no JS
//! types (the wasm binding is the `pixelguard-wasm` package in `crate/wasm`, the CLI `crate/cli`).

mod constants;
pub mod dnr;
mod engine;
mod error;
mod lists;
pub mod pixels;
mod public_suffix;
mod resource_type;
mod snapshot;

pub use constants::{Constants, Hostname, constants};
pub use engine::{Decision, Engine, FilterRef, Verdict};
pub use error::{Error, Result};
pub use lists::{InvalidLine, ListInfo, ListSource, ListStats, analyse, check_list_ids};
pub use pixels::{Category, PixelKind, PixelReport, Suspicion};
pub use public_suffix::parse_url;
pub use resource_type::from_crawl as crawl_resource_type;
pub use snapshot::ADBLOCK_VERSION;
