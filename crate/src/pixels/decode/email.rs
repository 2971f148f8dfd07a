//! Decoders of email-open pixels: the campaign, list, message and subscriber ids an email
//! service provider's open-tracking URL carries.

use super::{Action, Decoded, Params};

fn opened(d: &mut Decoded) {
    d.event(Some("open"));
    d.action = Some(Action::Open);
}

/// Mailchimp (`*.list-manage.com/track/open.php`): `u` account, `id` campaign, `e` subscriber.
pub fn mailchimp(p: &Params, _path: &str, d: &mut Decoded) {
    opened(d);
    d.id("account", p.get("u"));
    d.id("campaign", p.get("id"));
    d.id("subscriber", p.get("e"));
}

/// ActiveCampaign (`*.activehosted.com/lt.php`): `nl` list, `c` campaign, `m` message, `s`
/// subscriber; `l=open` marks an open (another `l` is a link click's tracking).
pub fn active_campaign(p: &Params, _path: &str, d: &mut Decoded) {
    if p.get("l") == Some("open") {
        opened(d);
    }
    d.id("list", p.get("nl"));
    d.id("campaign", p.get("c"));
    d.id("message", p.get("m"));
    d.id("subscriber", p.get("s"));
}

/// SendGrid (`*.sendgrid.net/wf/open`): `upn`, one opaque token that names the message and its
/// recipient to SendGrid.
pub fn sendgrid(p: &Params, _path: &str, d: &mut Decoded) {
    opened(d);
    d.id("token", p.get("upn"));
}
