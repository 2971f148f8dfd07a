//! Shared by the fuzz targets: a small list with every kind of network filter the engine stores
//! (hostname anchors, regexes, exceptions, $important, $redirect, $removeparam, $domain, $csp, …),
//! and the requests the targets ask an engine about.

/// The snapshot target's seed engine holds it too (the lists target keeps each input small).
#[allow(dead_code)]
pub const LIST: &str = include_str!("../../lists/pixels.txt");

pub const EXTRA: &str = "\
||ads.example^$third-party
|https://left.example/pixel
/right.gif|
|https://exact.example/|
||host.example/path|
||wild*.example^
/banner/*/img^
/^https?:\\/\\/[a-z]+\\.regex\\.example\\/p[0-9]+/
||regexhost.example/a*b^
@@||ads.example/ok.gif
@@||allowed.example^$image,domain=site.test
||important.example^$important
@@||important.example^
||redirect.example/x.js$script,redirect=noopjs
||param.example^$removeparam=utm_source
$removeparam=fbclid
||csp.example^$csp=script-src 'none'
||tagged.example^$tag=foo
||types.example^$image,ping,~script
||method.example^$method=post
||denied.example^$domain=a.test|~b.a.test
/track?*&uid=$match-case
||generichide.example^$generichide
||doc.example^$document
";

/// Requests every target puts to an engine: (url, source, type).
pub const REQUESTS: &[(&str, &str, &str)] = &[
    ("https://www.facebook.com/tr?id=1&ev=PageView", "https://shop.test/", "image"),
    ("https://ads.example/p.gif", "https://site.test/", "image"),
    ("https://ads.example/ok.gif", "https://site.test/", "image"),
    ("https://left.example/pixel?x=1", "https://site.test/", "image"),
    ("https://x.example/right.gif", "https://site.test/", "image"),
    ("https://exact.example/", "https://site.test/", "sub_frame"),
    ("https://host.example/path", "", "image"),
    ("https://wildcard.example/a", "https://site.test/", "script"),
    ("https://cdn.test/banner/1/img/", "https://site.test/", "image"),
    ("https://abc.regex.example/p42", "https://site.test/", "xmlhttprequest"),
    ("https://regexhost.example/aXXb/", "https://site.test/", "image"),
    ("https://allowed.example/p", "https://site.test/", "image"),
    ("https://important.example/p", "https://site.test/", "ping"),
    ("https://redirect.example/x.js", "https://site.test/", "script"),
    ("https://param.example/p?utm_source=a&b=2#frag", "https://site.test/", "image"),
    ("https://any.test/p?fbclid=1", "https://site.test/", "image"),
    ("https://csp.example/", "https://site.test/", "main_frame"),
    ("https://tagged.example/", "https://site.test/", "image"),
    ("https://types.example/a", "https://site.test/", "ping"),
    ("https://method.example/a", "https://site.test/", "beacon"),
    ("https://denied.example/a", "https://b.a.test/", "image"),
    ("https://t.test/track?a=1&uid=9", "https://site.test/", "image"),
    ("https://doc.example/", "https://site.test/", "main_frame"),
    ("https://xn--bcher-kva.example/p", "about:blank", "other"),
    ("http://192.168.0.1:8080/p", "http://192.168.0.1/", "websocket"),
];
