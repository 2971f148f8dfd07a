//! lists/pixels.txt through the engine: real pixel URL shapes are blocked and labelled by company
//! and kind; the labels survive snapshots; ordinary content of the same companies is not blocked.

use pixelguard::{Category, Decision, Engine, ListSource, PixelKind};

const PIXELS: &str = include_str!("../../lists/pixels.txt");
const SHOP: &str = "https://shop.example/checkout/thanks";
const MAIL: &str = "https://mail.google.com/mail/u/0/";

fn engine() -> Engine {
    Engine::from_lists(&[ListSource::new("pixels", "", PIXELS)]).unwrap()
}

/// (url, page, resource type, company, kind): URL shapes from vendors' docs and real mail.
const CASES: &[(&str, &str, &str, &str, PixelKind)] = &[
    (
        "https://www.facebook.com/tr?id=123456789012345&ev=Purchase&cd[value]=42.00&cd[currency]=USD&noscript=1",
        SHOP,
        "image",
        "Meta",
        PixelKind::Conversion,
    ),
    ("https://connect.facebook.net/en_US/fbevents.js", SHOP, "script", "Meta", PixelKind::Conversion),
    (
        "https://www.googleadservices.com/pagead/conversion/1012345678/?label=AbCdEfGh&guid=ON&script=0",
        SHOP,
        "image",
        "Google",
        PixelKind::Conversion,
    ),
    (
        "https://ad.doubleclick.net/activity;src=1234567;type=sales;cat=purch0;qty=1;cost=42;ord=98765?",
        SHOP,
        "image",
        "Google",
        PixelKind::Conversion,
    ),
    (
        "https://googleads.g.doubleclick.net/pagead/viewthroughconversion/1012345678/?random=1&cv=11&fst=1",
        SHOP,
        "script",
        "Google",
        PixelKind::Retargeting,
    ),
    ("https://www.google-analytics.com/g/collect?v=2&tid=G-ABC123XYZ&cid=555.666&en=page_view", SHOP, "ping", "Google", PixelKind::Analytics),
    ("https://www.googletagmanager.com/gtag/js?id=G-ABC123XYZ", SHOP, "script", "Google", PixelKind::Analytics),
    ("https://px.ads.linkedin.com/collect/?pid=123456&fmt=gif", SHOP, "image", "LinkedIn", PixelKind::Conversion),
    ("https://analytics.twitter.com/i/adsct?txn_id=o1a2b&p_id=Twitter&tw_sale_amount=0", SHOP, "image", "X", PixelKind::Conversion),
    ("https://analytics.tiktok.com/api/v2/pixel", SHOP, "xmlhttprequest", "TikTok", PixelKind::Conversion),
    ("https://ct.pinterest.com/v3/?event=checkout&tid=2612345678901&noscript=1", SHOP, "image", "Pinterest", PixelKind::Conversion),
    ("https://tr.snapchat.com/p", SHOP, "xmlhttprequest", "Snap", PixelKind::Conversion),
    ("https://bat.bing.com/action/0?ti=12345678&Ver=2&evt=pageLoad", SHOP, "image", "Microsoft", PixelKind::Conversion),
    ("https://www.clarity.ms/tag/abcd1234", SHOP, "script", "Microsoft", PixelKind::Analytics),
    ("https://alb.reddit.com/rp.gif?ts=1700000000&id=t2_abc123&event=Purchase", SHOP, "image", "Reddit", PixelKind::Conversion),
    ("https://q.quora.com/_/ad/0123456789abcdef0123456789abcdef/pixel?tag=Purchase&noscript=1", SHOP, "image", "Quora", PixelKind::Conversion),
    ("https://s.amazon-adsystem.com/iu3?pid=abc-123&event=PageView", SHOP, "image", "Amazon", PixelKind::Conversion),
    ("https://sslwidget.criteo.com/event?a=12345&v=5.6.2&p0=e%3Dexd", SHOP, "xmlhttprequest", "Criteo", PixelKind::Retargeting),
    ("https://trc.taboola.com/1234567/log/3/unip?en=page_view", SHOP, "image", "Taboola", PixelKind::Conversion),
    ("https://tr.outbrain.com/unifiedPixel?marketerId=00abc&obApiVersion=1.1&name=PAGE_VIEW", SHOP, "image", "Outbrain", PixelKind::Conversion),
    ("https://insight.adsrvr.org/track/up?adv=abc123&ref=https%3A%2F%2Fshop.example", SHOP, "image", "The Trade Desk", PixelKind::Retargeting),
    ("https://secure.adnxs.com/px?id=123456&t=2", SHOP, "image", "Xandr", PixelKind::Conversion),
    ("https://sp.analytics.yahoo.com/spp.pl?a=10000&.yp=12345", SHOP, "image", "Yahoo", PixelKind::Conversion),
    ("https://acme.sc.omtrdc.net/b/ss/acmeprod/1/JS-2.22.0/s12345", SHOP, "image", "Adobe", PixelKind::Analytics),
    ("https://dpm.demdex.net/id?d_visid_ver=4.4.0&d_orgid=ABC%40AdobeOrg", SHOP, "xmlhttprequest", "Adobe", PixelKind::Retargeting),
    ("https://pixel.quantserve.com/pixel/p-AbCdEf123.gif", SHOP, "image", "Quantcast", PixelKind::Analytics),
    ("https://sb.scorecardresearch.com/b?c1=2&c2=1234567&ns_c=UTF-8", SHOP, "image", "Comscore", PixelKind::Analytics),
    ("https://idsync.rlcdn.com/712345.gif?partner_uid=abc", SHOP, "image", "LiveRamp", PixelKind::Retargeting),
    ("https://pixel.rubiconproject.com/tap.php?v=12345&nid=1986", SHOP, "image", "Magnite", PixelKind::Retargeting),
    ("https://track.hubspot.com/__ptq.gif?a=1234567&k=1&r=https%3A%2F%2Fshop.example%2F", SHOP, "image", "HubSpot", PixelKind::Analytics),
    // Email-open pixels, loaded by a webmail page.
    ("https://acme.us21.list-manage.com/track/open.php?u=0123abcd4567ef&id=89ab01cd&e=0123456789", MAIL, "image", "Mailchimp", PixelKind::EmailOpen),
    ("https://mandrillapp.com/track/open.php?u=30012345&id=0123456789abcdef", MAIL, "image", "Mailchimp", PixelKind::EmailOpen),
    ("https://u1234567.ct.sendgrid.net/wf/open?upn=AbCd-2BeFgH_3iJkL", MAIL, "image", "SendGrid", PixelKind::EmailOpen),
    ("https://t.sidekickopen70.com/e1t/o/5/f18dQhb0S7kF8cpgqW7MvNF6W1p8zZ22q0C8BW2BxTQx7f3gNV1k2", MAIL, "image", "HubSpot", PixelKind::EmailOpen),
    ("https://t.signaux.com/e1t/o/5/f18dQhb0S7kF8cpgq", MAIL, "image", "HubSpot", PixelKind::EmailOpen),
    ("https://d2v8tf04.na1.hubspotlinks.com/Cto/GT+113/d2v8tf04/VWzz2x3", MAIL, "image", "HubSpot", PixelKind::EmailOpen),
    (
        "https://cl.s7.exct.net/open.aspx?ffcb10-fe8a1c7670660c7d-fe2c1577756d057e7d1c",
        MAIL,
        "image",
        "Salesforce Marketing Cloud",
        PixelKind::EmailOpen,
    ),
    ("https://trk.klclick1.com/ls/o/ABCDEFGH1234", MAIL, "image", "Klaviyo", PixelKind::EmailOpen),
    ("https://links.iterable.com/e/eo?_t=0123456789abcdef&_m=0123456789abcdef&_e=abc", MAIL, "image", "Iterable", PixelKind::EmailOpen),
    ("https://e.customeriomail.com/e/o/eyJlbWFpbF9pZCI6IlJQLUFCQzEyMyJ9", MAIL, "image", "Customer.io", PixelKind::EmailOpen),
    ("https://abc1def.r.bh.d.sendibt3.com/tr/op/zYxW-VuTsRqPoNmLkJi", MAIL, "image", "Brevo", PixelKind::EmailOpen),
    ("https://xyz.r.sp1-brevo.net/tr/op/AbCdEf-123456", MAIL, "image", "Brevo", PixelKind::EmailOpen),
    (
        "https://acme.lt.acemlna.com/Prod/link-tracker?redirectUrl=abc&a=123&account=acme&email=x&s=1&i=2&l=open",
        MAIL,
        "image",
        "ActiveCampaign",
        PixelKind::EmailOpen,
    ),
    ("https://acme.activehosted.com/lt.php?nl=1&c=2&m=3&s=0123abcd&l=open", MAIL, "image", "ActiveCampaign", PixelKind::EmailOpen),
    (
        "https://r20.rs6.net/on.jsp?ca=0123abcd&a=1101234567&c=abc&ch=def&o=https://imgssl.constantcontact.com/letters/images/sys/S.gif",
        MAIL,
        "image",
        "Constant Contact",
        PixelKind::EmailOpen,
    ),
    ("https://acme.cmail20.com/t/d-o-abcdef-ghijkl/o.gif", MAIL, "image", "Campaign Monitor", PixelKind::EmailOpen),
    ("https://open.convertkit-mail2.com/v8u0lmx7w8sxh7pvx3f8", MAIL, "image", "Kit", PixelKind::EmailOpen),
    ("https://click.pstmrk.it/open?m=v1_0123456789abcdef&r=abc", MAIL, "image", "Postmark", PixelKind::EmailOpen),
    ("https://email.mg1.substack.com/o/eJxNkMtuwyAQRb8mLCOGhx8LFq3a_gZiYNyg2mABtpW_L06lqtIsZq", MAIL, "image", "Substack", PixelKind::EmailOpen),
    ("https://app.getresponse.com/open.html?x=a62b&m=E1234&mc=JA&s=ABC&u=XYZ&z=E", MAIL, "image", "GetResponse", PixelKind::EmailOpen),
    ("https://mailtrack.io/trace/mail/0123456789abcdef0123456789abcdef01234567.png?u=1234567", MAIL, "image", "Mailtrack", PixelKind::EmailOpen),
    ("https://t.yesware.com/t/0123456789abcdef/0123456789abcdef/spacer.gif", MAIL, "image", "Yesware", PixelKind::EmailOpen),
    ("https://mailfoogae.appspot.com/t?sender=aYWxpY2VAZXhhbXBsZS5jb20%3D&type=zerocontent&guid=abc", MAIL, "image", "Streak", PixelKind::EmailOpen),
    ("https://app.mixmax.com/api/track/v2/AbCdEf123/GhIjKl456", MAIL, "image", "Mixmax", PixelKind::EmailOpen),
    ("https://r.superhuman.com/AbCdEfGh_0123456789.gif", MAIL, "image", "Superhuman", PixelKind::EmailOpen),
    ("https://x1y2z.mjt.lu/oo/AbCdEf123/0123abcd/o.gif", MAIL, "image", "Mailjet", PixelKind::EmailOpen),
    ("https://0123abcd.r.us-east-1.awstrack.me/I0/0100018abc-def/AbCdEf=123", MAIL, "image", "Amazon SES", PixelKind::EmailOpen),
    ("https://s1234567.t.en25.com/e/FooterImages/FooterImage1?elq=0123abcd&siteid=1234567", MAIL, "image", "Oracle Eloqua", PixelKind::EmailOpen),
    ("https://emltrk.com/v2/AbCdEf123?d=xyz", MAIL, "image", "Litmus", PixelKind::EmailOpen),
    // A sender's own tracking domain: the generic shapes, named by the host's registrable domain.
    ("https://links.news.acme-shop.com/wf/open?upn=AbCd-2BeFgH_3iJkL", MAIL, "image", "acme-shop.com", PixelKind::EmailOpen),
    ("https://click.e.acme-shop.com/open.aspx?ffcb10-fe8a1c7670660c7d-fe2c1577756d057e7d1c", MAIL, "image", "acme-shop.com", PixelKind::EmailOpen),
    ("https://info.acme-shop.com/e2t/to/VWzz2x3-W1p8zZ22", MAIL, "image", "acme-shop.com", PixelKind::EmailOpen),
];

#[test]
fn real_pixel_urls_are_blocked_and_labelled() {
    let e = engine();
    let mut failures = Vec::new();
    for &(url, page, rt, company, kind) in CASES {
        let v = e.check(url, page, rt).unwrap();
        let got = (v.decision, v.company.as_deref(), v.kind);
        if got != (Decision::Blocked, Some(company), Some(kind)) {
            failures.push(format!("{url}\n    got {got:?} by {:?}\n    want ({company}, {kind:?})", v.filter.map(|f| f.text)));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

#[test]
fn content_of_the_same_companies_is_not_blocked() {
    let e = engine();
    for (url, rt) in [
        ("https://www.facebook.com/plugins/like.php?href=https%3A%2F%2Fshop.example", "sub_frame"),
        ("https://scontent.xx.fbcdn.net/v/t39/12345_n.jpg", "image"),
        ("https://www.google.com/recaptcha/api.js", "script"),
        ("https://fonts.googleapis.com/css2?family=Inter", "stylesheet"),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", "sub_frame"),
        ("https://media.licdn.com/dms/image/C4E03AQ/profile.jpg", "image"),
        ("https://pbs.twimg.com/media/Fabc123.jpg", "image"),
        ("https://i.pinimg.com/564x/ab/cd/ef/abcdef.jpg", "image"),
        ("https://i1.createsend1.com/ei/r/AB/CD/EF/123456/csfinal/banner.png", "image"),
        ("https://mcusercontent.com/0123abcd/images/0123-4567.jpg", "image"),
        ("https://acme.us21.list-manage.com/subscribe/post?u=abc&id=def", "xmlhttprequest"),
        ("https://static.klaviyo.com/onsite/js/klaviyo.js?company_id=AbC123", "script"),
        ("https://substackcdn.com/image/fetch/w_1456/https%3A%2F%2Fsubstack-post-media.s3.amazonaws.com%2Fpublic%2Fimages%2Fabc.png", "image"),
    ] {
        let v = e.check(url, SHOP, rt).unwrap();
        assert_eq!(v.decision, Decision::NoMatch, "{url} blocked by {:?}", v.filter);
        assert_eq!((v.company, v.kind, v.host), (None, None, None), "labels only when a filter matched");
    }
}

#[test]
fn generic_email_shapes_stay_off_first_party_and_non_images() {
    let e = engine();
    // The sender's own site loading its own /e/o/ path, and a script at such a path, are not pixels.
    assert_eq!(e.check("https://acme-shop.com/e/o/abc", "https://acme-shop.com/", "image").unwrap().decision, Decision::NoMatch);
    assert_eq!(e.check("https://cdn.test/e/o/app.js", SHOP, "script").unwrap().decision, Decision::NoMatch);
}

#[test]
fn labels_survive_snapshots() {
    let e = engine();
    let restored = Engine::from_snapshot(&e.snapshot()).unwrap();
    assert_eq!(restored.lists(), e.lists());
    assert!(restored.lists()[0].annotations.0.len() > 50);
    for &(url, page, rt, _, _) in CASES {
        assert_eq!(restored.check(url, page, rt).unwrap(), e.check(url, page, rt).unwrap(), "{url}");
    }
}

#[test]
fn every_rule_has_an_annotation_with_a_known_kind() {
    let e = engine();
    let info = &e.lists()[0];
    assert!(info.stats.invalid.is_empty(), "{:?}", info.stats.invalid);
    for (index, line) in PIXELS.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('!') || line.starts_with('[') {
            continue;
        }
        let a = info.annotations.at(index as u32 + 1);
        assert!(a.is_some_and(|a| a.kind.is_some()), "line {}: {line} has no annotation with a kind", index + 1);
    }
}

#[test]
fn other_lists_are_labelled_from_the_catalogue_and_the_url() {
    let e = Engine::from_lists(&[ListSource::new(
        "privacy",
        "",
        "||google-analytics.com^\n||facebook.com/tr^\n||unknown-tracker.example^\n@@||allowed.tracker-co.example^\n||tracker-co.example^\n",
    )])
    .unwrap();
    let v = e.check("https://www.google-analytics.com/collect?v=1&t=pageview&tid=UA-1-1", SHOP, "image").unwrap();
    assert_eq!((v.company.as_deref(), v.category, v.kind), (Some("Google"), Some(Category::Analytics), Some(PixelKind::Analytics)));
    assert_eq!(v.host.as_deref(), Some("www.google-analytics.com"));

    let v = e.check("https://www.facebook.com/tr/?id=1&ev=PageView&noscript=1", SHOP, "image").unwrap();
    assert_eq!((v.company.as_deref(), v.category, v.kind), (Some("Meta"), Some(Category::Social), Some(PixelKind::Retargeting)));

    let v = e.check("https://cdn.unknown-tracker.example/t.js", SHOP, "script").unwrap();
    assert_eq!((v.company.as_deref(), v.category, v.kind), (Some("unknown-tracker.example"), None, Some(PixelKind::Other)));

    // Exceptions are labelled too.
    let v = e.check("https://allowed.tracker-co.example/o.gif", MAIL, "image").unwrap();
    assert_eq!(v.decision, Decision::Allowed);
    assert_eq!((v.company.as_deref(), v.kind), (Some("tracker-co.example"), Some(PixelKind::EmailOpen)));
}

#[test]
fn engine_suspects_unlisted_pixels() {
    let report: pixelguard::PixelReport = serde_json::from_str(
        r#"{"url":"http://made-up-pixel-host.test/p.gif?uid=8f3a9c0d2b7e4f61a5c3","sourceUrl":"http://127.0.0.1:8080/page.html","type":"image","width":1,"height":1,"naturalWidth":1,"naturalHeight":1}"#,
    )
    .unwrap();
    let s = engine().suspect(&report);
    assert!(s.suspected, "{s:?}");
    assert_eq!(s.host.as_deref(), Some("made-up-pixel-host.test"));
}
