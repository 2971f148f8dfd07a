//! DNR rule priorities: one ladder for every rule the extension makes — the rules compiled from
//! lists (uBlock Origin Lite's priorities), the shell's own dynamic rules and its static privacy
//! rulesets. The shell reads it from its generated constants (`pixelguard constants`).

use serde::Serialize;

/// Each kind of rule's priority, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Priorities {
    /// `$removeparam` rules, and the shell's tracking-parameter stripping: any block or allow wins.
    pub removeparam: u32,
    /// Block rules.
    pub block: u32,
    /// `@@` exceptions (allow) and `@@…$document` (allowAllRequests): above block.
    pub allow: u32,
    /// `$important` blocks: above exceptions.
    pub important: u32,
    /// The user's "Block this host" rule: above every list rule, exceptions included; below a pause.
    pub blocked_hosts: u32,
    /// A host the user allowed on one site ("Allow on this site"): above every block rule, the
    /// user's blocked hosts included; below a pause.
    pub allowed: u32,
    /// The Global Privacy Control header (modifyHeaders): above every list rule, so no exception
    /// stops it; below a pause.
    pub gpc: u32,
    /// A paused site's allowAllRequests rule: above every other rule, so the site gets no blocking,
    /// header or stripping.
    pub pause: u32,
}

pub const PRIORITY: Priorities =
    Priorities { removeparam: 1, block: 10, allow: 30, important: 40, blocked_hosts: 50, allowed: 60, gpc: 100, pause: 1000 };

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rung_outranks_the_one_below() {
        let p = PRIORITY;
        let ladder = [p.removeparam, p.block, p.allow, p.important, p.blocked_hosts, p.allowed, p.gpc, p.pause];
        assert!(ladder.windows(2).all(|w| w[0] < w[1]), "{ladder:?}");
        assert!(p.removeparam >= 1, "DNR priorities start at 1");
    }
}
