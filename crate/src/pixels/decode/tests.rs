//! Every decoder on real URL shapes: as vendors document their pixels and as their tags send them.

use super::*;

/// SHA-256 of `jane@example.com`, in hex and in unpadded base64url (Google's form).
const EMAIL_SHA256: &str = "8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d";
const EMAIL_SHA256_B64: &str = "jIe0ic41zy4vOfgOKCyy6ASTKlaiE5g-7rQoQH1DtS0";
/// SHA-256 of `4915112345678`.
const PHONE_SHA256: &str = "8efb96404be52f6109b9db0f687274a81e9e3cc23fabd6f0da5d38baa3d2facd";

fn decoded(url: &str) -> Decoded {
    decode(url).unwrap_or_else(|| panic!("nothing decoded from {url}"))
}

fn ids(d: &Decoded) -> Vec<(&str, &str)> {
    d.ids.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn personal(d: &Decoded) -> Vec<(&str, Form)> {
    d.personal.iter().map(|(k, v)| (*k, *v)).collect()
}

/// (event, action, value, currency, order id) of a decoded request.
type Sale<'a> = (Option<&'a str>, Option<Action>, Option<&'a str>, Option<&'a str>, Option<&'a str>);

fn sale(d: &Decoded) -> Sale<'_> {
    (d.event.as_deref(), d.action, d.value.as_deref(), d.currency.as_deref(), d.order_id.as_deref())
}

#[test]
fn meta_pixel_purchase_with_advanced_matching() {
    let url = format!(
        "https://www.facebook.com/tr/?id=123456789012345&ev=Purchase&dl=https%3A%2F%2Fshop.example%2Fcheckout%2Fthanks&rl=https%3A%2F%2Fshop.example%2Fcart\
         &if=false&ts=1732870000000&cd%5Bvalue%5D=59.00&cd%5Bcurrency%5D=EUR&cd%5Border_id%5D=T-1001&sw=1920&sh=1080\
         &ud%5Bem%5D={EMAIL_SHA256}&ud%5Bph%5D={PHONE_SHA256}&ud%5Bfn%5D=jane&v=2.9.179&r=stable&ec=4&o=4126\
         &fbp=fb.1.1732869990000.1234567890&eid=ob3_plugin-set_abc123&it=1732869999000&coo=false&rqm=GET"
    );
    let d = decoded(&url);
    assert_eq!(d.vendor, "Meta Pixel");
    assert_eq!(sale(&d), (Some("Purchase"), Some(Action::Purchase), Some("59.00"), Some("EUR"), Some("T-1001")));
    assert_eq!(d.page.as_deref(), Some("https://shop.example/checkout/thanks"));
    assert_eq!(d.referrer.as_deref(), Some("https://shop.example/cart"));
    assert_eq!(ids(&d), [("client", "fb.1.1732869990000.1234567890"), ("event", "ob3_plugin-set_abc123"), ("pixel", "123456789012345")]);
    assert_eq!(personal(&d), [("email", Form::Sha256), ("name", Form::Plain), ("phone", Form::Sha256)]);
}

#[test]
fn meta_noscript_pixel_as_documented() {
    let d = decoded("https://www.facebook.com/tr?id=1234567890&ev=AddToCart&cd[value]=42.00&cd[currency]=usd&noscript=1");
    assert_eq!(sale(&d), (Some("AddToCart"), Some(Action::AddToCart), Some("42.00"), Some("USD"), None));
    let view = decoded("https://www.facebook.com/tr?id=1234567890&ev=PageView&noscript=1");
    assert_eq!((view.event.as_deref(), view.action), (Some("PageView"), Some(Action::PageView)));
    assert!(view.personal.is_empty());
}

#[test]
fn google_analytics_4_purchase() {
    let d = decoded(
        "https://region1.google-analytics.com/g/collect?v=2&tid=G-ABC123XYZ&gtm=45je4b20v9&_p=1732870000&gcs=G111&cid=1234567890.1732869000\
         &ul=en-us&sr=1920x1080&_s=3&sid=1732869000&sct=1&seg=1&dl=https%3A%2F%2Fshop.example%2Fcheckout%2Fthanks&dr=https%3A%2F%2Fshop.example%2Fcart\
         &dt=Thank%20you&en=purchase&_ee=1&cu=EUR&ep.transaction_id=T-1001&epn.value=59.00&pr1=idSKU1~nmShoes~pr59.00~qt1&tfd=5000",
    );
    assert_eq!(d.vendor, "Google Analytics 4");
    assert_eq!(sale(&d), (Some("purchase"), Some(Action::Purchase), Some("59.00"), Some("EUR"), Some("T-1001")));
    assert_eq!(d.page.as_deref(), Some("https://shop.example/checkout/thanks"));
    assert_eq!(ids(&d), [("client", "1234567890.1732869000"), ("pixel", "G-ABC123XYZ"), ("session", "1732869000")]);
    let view = decoded("https://www.google-analytics.com/g/collect?v=2&tid=G-ABC&en=page_view");
    assert_eq!((view.event.as_deref(), view.action), (Some("page_view"), Some(Action::PageView)));
}

#[test]
fn universal_analytics_hits() {
    let event = decoded(
        "https://www.google-analytics.com/collect?v=1&_v=j101&a=123&t=event&ni=0&_s=1&dl=https%3A%2F%2Fnews.example%2Farticle\
         &dr=https%3A%2F%2Fwww.google.com%2F&ul=en-us&de=UTF-8&dt=Article&ec=video&ea=play&cid=1234567890.1732869000&tid=UA-12345-1&z=123",
    );
    assert_eq!(event.vendor, "Google Universal Analytics");
    assert_eq!((event.event.as_deref(), event.page.as_deref()), (Some("play"), Some("https://news.example/article")));
    assert_eq!(ids(&event), [("client", "1234567890.1732869000"), ("pixel", "UA-12345-1")]);
    let sale_hit = decoded("https://www.google-analytics.com/collect?v=1&t=transaction&ti=T-1001&tr=59.00&cu=EUR&tid=UA-12345-1&cid=1.2");
    assert_eq!(sale(&sale_hit), (Some("transaction"), Some(Action::Purchase), Some("59.00"), Some("EUR"), Some("T-1001")));
    let legacy = decoded("https://www.google-analytics.com/__utm.gif?utmwv=5.7.2&utmhn=news.example&utmp=%2Farticle&utmac=UA-12345-1&utmr=-");
    assert_eq!((legacy.page.as_deref(), ids(&legacy)), (Some("/article"), vec![("pixel", "UA-12345-1")]));
}

#[test]
fn google_ads_conversion_with_enhanced_conversions() {
    let url = format!(
        "https://www.googleadservices.com/pagead/conversion/1012345678/?label=AbC-D_efG-h12&value=59.00&currency_code=EUR&oid=T-1001\
         &guid=ON&script=0&url=https%3A%2F%2Fshop.example%2Fcheckout%2Fthanks&ref=https%3A%2F%2Fshop.example%2Fcart&em=tv.1~em.{EMAIL_SHA256_B64}"
    );
    let d = decoded(&url);
    assert_eq!(d.vendor, "Google Ads");
    assert_eq!(sale(&d), (Some("AbC-D_efG-h12"), None, Some("59.00"), Some("EUR"), Some("T-1001")));
    assert_eq!(ids(&d), [("conversion", "1012345678"), ("conversionLabel", "AbC-D_efG-h12")]);
    assert_eq!(personal(&d), [("email", Form::Sha256)]);
    assert_eq!(d.page.as_deref(), Some("https://shop.example/checkout/thanks"));
    // gtag's 1p-conversion on google.com, with a plain phone in the user data.
    let p = decoded("https://www.google.com/pagead/1p-conversion/1012345678/?label=XyZ&value=10&currency_code=USD&em=tv.1~ph.%2B4915112345678");
    assert_eq!((p.value.as_deref(), personal(&p)), (Some("10"), vec![("phone", Form::Plain)]));
}

#[test]
fn google_ads_remarketing() {
    let d = decoded(
        "https://www.google.com/pagead/1p-user-list/1012345678/?random=1732870000&cv=11&fst=1732870000&num=1&bg=ffffff&guid=ON\
         &u_w=1920&u_h=1080&url=https%3A%2F%2Fshop.example%2Fproduct%2F42&tiba=Shoes&async=1&rfmt=3&fmt=3",
    );
    assert_eq!((d.event.as_deref(), d.page.as_deref()), (Some("remarketing"), Some("https://shop.example/product/42")));
    assert_eq!(ids(&d), [("conversion", "1012345678")]);
    let view = decoded("https://googleads.g.doubleclick.net/pagead/viewthroughconversion/1012345678/?random=1&cv=11&fst=1");
    assert_eq!((view.vendor, view.event.as_deref()), ("Google Ads", Some("remarketing")));
}

#[test]
fn floodlight_sales_and_counter_tags() {
    let d = decoded(
        "https://ad.doubleclick.net/activity;src=1234567;type=sales;cat=purch0;qty=1;cost=59.00;ord=T-1001;~oref=https%3A%2F%2Fshop.example%2Fcheckout?",
    );
    assert_eq!(d.vendor, "Google Floodlight");
    assert_eq!(sale(&d), (Some("purch0"), None, Some("59.00"), None, Some("T-1001")));
    assert_eq!(ids(&d), [("account", "1234567"), ("activityGroup", "sales")]);
    assert_eq!(d.page.as_deref(), Some("https://shop.example/checkout"));
    // A counter tag's `ord` is a cache-buster, not an order.
    let counter = decoded("https://1234567.fls.doubleclick.net/activityi;src=1234567;type=visit0;cat=home0;ord=8273645?");
    assert_eq!((counter.event.as_deref(), counter.order_id), (Some("home0"), None));
    let ddm = decoded("https://ad.doubleclick.net/ddm/activity/src=1234567;type=sales;cat=purch0;qty=1;cost=12.50;ord=A-9?");
    assert_eq!((ddm.value.as_deref(), ddm.order_id.as_deref(), ids(&ddm)[0]), (Some("12.50"), Some("A-9"), ("account", "1234567")));
}

#[test]
fn tiktok_reads_what_the_url_carries() {
    let script = decoded("https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=C4ABCDEFGHIJKLMN0PQR&lib=ttq");
    assert_eq!((script.vendor, ids(&script)), ("TikTok Pixel", vec![("pixel", "C4ABCDEFGHIJKLMN0PQR")]));
    let event = decoded("https://analytics.tiktok.com/api/v2/pixel?event=CompletePayment&value=59.00&currency=EUR");
    assert_eq!(sale(&event), (Some("CompletePayment"), Some(Action::Purchase), Some("59.00"), Some("EUR"), None));
    // Its events API posts JSON: the bare endpoint says nothing.
    assert_eq!(decode("https://analytics.tiktok.com/api/v2/pixel"), None);
}

#[test]
fn pinterest_checkout_is_a_purchase() {
    let url = format!(
        "https://ct.pinterest.com/v3/?event=checkout&tid=2612345678901&pd[em]={EMAIL_SHA256}&ed[value]=59.00&ed[order_quantity]=1\
         &ed[currency]=EUR&ed[order_id]=T-1001&noscript=1"
    );
    let d = decoded(&url);
    assert_eq!(d.vendor, "Pinterest Tag");
    assert_eq!(sale(&d), (Some("checkout"), Some(Action::Purchase), Some("59.00"), Some("EUR"), Some("T-1001")));
    assert_eq!((ids(&d), personal(&d)), (vec![("pixel", "2612345678901")], vec![("email", Form::Sha256)]));
    // The tag's script form: event data and page as JSON.
    let js = decoded(
        "https://ct.pinterest.com/v3/?tid=2612345678901&event=addtocart&ed=%7B%22value%22%3A19.5%2C%22currency%22%3A%22EUR%22%7D\
         &ad=%7B%22loc%22%3A%22https%3A%2F%2Fshop.example%2Fproduct%2F42%22%2C%22ref%22%3A%22%22%2C%22if%22%3Afalse%7D&cb=1732870000000",
    );
    assert_eq!(sale(&js), (Some("addtocart"), Some(Action::AddToCart), Some("19.5"), Some("EUR"), None));
    assert_eq!(js.page.as_deref(), Some("https://shop.example/product/42"));
    let matched =
        decoded(&format!("https://ct.pinterest.com/v3/?tid=26&event=pagevisit&pd=%7B%22em%22%3A%22{EMAIL_SHA256}%22%2C%22np%22%3A%22gtm%22%7D"));
    assert_eq!(personal(&matched), [("email", Form::Sha256)]);
    // Malformed or nested JSON is skipped, not an error.
    let odd = decoded("https://ct.pinterest.com/v3/?tid=26&event=lead&ed=%7B%22value%22%3A%5B1%5D%7D&ad=not-json");
    assert_eq!((odd.action, odd.value, odd.page), (Some(Action::Lead), None, None));
}

#[test]
fn snap_pixel() {
    let url = format!(
        "https://tr.snapchat.com/p?pid=1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d&ev=PURCHASE&pl=https%3A%2F%2Fshop.example%2Fcheckout&rf=\
         &u_c1=7f6e5d4c-3b2a-1908-f7e6-d5c4b3a29180&u_hem={EMAIL_SHA256}&v=1.5&ts=1732870000000&if=false"
    );
    let d = decoded(&url);
    assert_eq!((d.vendor, d.event.as_deref(), d.action), ("Snap Pixel", Some("PURCHASE"), Some(Action::Purchase)));
    assert_eq!(d.page.as_deref(), Some("https://shop.example/checkout"));
    assert_eq!(ids(&d), [("client", "7f6e5d4c-3b2a-1908-f7e6-d5c4b3a29180"), ("pixel", "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d")]);
    assert_eq!(personal(&d), [("email", Form::Sha256)]);
    let sync = decoded("https://tr.snapchat.com/cm/i?pid=1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d");
    assert_eq!(ids(&sync), [("pixel", "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d")]);
}

#[test]
fn reddit_pixel() {
    let url = format!(
        "https://alb.reddit.com/rp.gif?ts=1732870000000&id=t2_abc123&event=Purchase&m.itemCount=1&m.value=5900&m.valueDecimal=59.00\
         &m.currency=EUR&m.transactionId=T-1001&uuid=1732869000000.5a7e6b2c&integration=reddit&opt_out=0&sh=1080&sw=1920&v=rdt_65e23bc4&em={EMAIL_SHA256}"
    );
    let d = decoded(&url);
    assert_eq!(d.vendor, "Reddit Pixel");
    assert_eq!(sale(&d), (Some("Purchase"), Some(Action::Purchase), Some("59.00"), Some("EUR"), Some("T-1001")));
    assert_eq!(ids(&d), [("client", "1732869000000.5a7e6b2c"), ("pixel", "t2_abc123")]);
    assert_eq!(personal(&d), [("email", Form::Sha256)]);
    let custom = decoded("https://alb.reddit.com/rp.gif?ts=1&id=t2_abc123&event=Custom&m.customEventName=Quiz%20done");
    assert_eq!((custom.event.as_deref(), custom.action), (Some("Quiz done"), None));
}

#[test]
fn microsoft_uet() {
    let d = decoded(
        "https://bat.bing.com/action/0?ti=5012345&tm=gtm002&Ver=2&mid=9d8c7b6a-5f4e-3d2c-1b0a-998877665544&sid=abc12340b1a711ef&vid=def56780b1a711ef\
         &vids=0&msclkid=N&ea=purchase&ec=ecommerce&el=T-1001&ev=59.00&gv=59.00&gc=EUR&evt=custom&p=https%3A%2F%2Fshop.example%2Fcheckout%2Fthanks\
         &r=https%3A%2F%2Fshop.example%2Fcart&lt=812&pi=0&lg=en-US&sw=1920&sh=1080&sc=24&tl=Thank%20you&rn=123456",
    );
    assert_eq!(d.vendor, "Microsoft UET");
    assert_eq!(sale(&d), (Some("purchase"), Some(Action::Purchase), Some("59.00"), Some("EUR"), None));
    assert_eq!(d.page.as_deref(), Some("https://shop.example/checkout/thanks"));
    // `msclkid=N` is UET's "no click id".
    assert_eq!(ids(&d), [("client", "def56780b1a711ef"), ("pixel", "5012345"), ("session", "abc12340b1a711ef")]);
    let load = decoded("https://bat.bing.com/action/0?ti=5000&Ver=2&evt=pageLoad&msclkid=1a2b3c");
    assert_eq!(
        (load.event.as_deref(), load.action, load.ids.get("click").map(String::as_str)),
        (Some("pageLoad"), Some(Action::PageView), Some("1a2b3c"))
    );
}

#[test]
fn linkedin_insight_tag() {
    let d = decoded(
        "https://px.ads.linkedin.com/collect/?pid=123456&conversionId=7654321&fmt=gif&url=https%3A%2F%2Fshop.example%2Fcheckout&time=1732870000000&li_fat_id=abc-123",
    );
    assert_eq!((d.vendor, d.event.as_deref()), ("LinkedIn Insight Tag", Some("conversion")));
    assert_eq!(ids(&d), [("click", "abc-123"), ("conversion", "7654321"), ("pixel", "123456")]);
    assert_eq!(d.page.as_deref(), Some("https://shop.example/checkout"));
    let view = decoded("https://px.ads.linkedin.com/collect/?pid=42&fmt=gif");
    assert_eq!((view.event.as_deref(), view.action), (Some("pageview"), Some(Action::PageView)));
}

#[test]
fn x_pixel() {
    let d = decoded(
        "https://analytics.twitter.com/i/adsct?bci=4&eci=3&events=%5B%5B%22purchase%22%2C%7B%7D%5D%5D&integration=advertiser&p_id=Twitter\
         &p_user_id=0&tw_document_href=https%3A%2F%2Fshop.example%2Fcheckout&tw_iframe_status=0&tw_order_quantity=1&tw_sale_amount=59.00&txn_id=o1a2b&type=javascript",
    );
    assert_eq!(d.vendor, "X Pixel");
    assert_eq!(sale(&d), (Some("purchase"), Some(Action::Purchase), Some("59.00"), None, None));
    assert_eq!((ids(&d), d.page.as_deref()), (vec![("pixel", "o1a2b")], Some("https://shop.example/checkout")));
    let view = decoded("https://t.co/i/adsct?p_id=Twitter&txn_id=o1a2b&events=%5B%5B%22pageview%22%2Cnull%5D%5D&tw_sale_amount=0");
    assert_eq!((view.event.as_deref(), view.value.as_deref()), (Some("pageview"), None));
}

#[test]
fn email_service_providers() {
    let mc = decoded("https://acme.us21.list-manage.com/track/open.php?u=abc123def456abc123def456a&id=0f1e2d3c4b&e=9a8b7c6d5e");
    assert_eq!((mc.vendor, mc.event.as_deref(), mc.action), ("Mailchimp", Some("open"), Some(Action::Open)));
    assert_eq!(ids(&mc), [("account", "abc123def456abc123def456a"), ("campaign", "0f1e2d3c4b"), ("subscriber", "9a8b7c6d5e")]);
    let ac = decoded("https://acme.activehosted.com/lt.php?nl=1&c=2&m=3&s=5f4dcc3b5aa765d61d8327deb882cf99&l=open");
    assert_eq!(
        (ac.action, ids(&ac)),
        (Some(Action::Open), vec![("campaign", "2"), ("list", "1"), ("message", "3"), ("subscriber", "5f4dcc3b5aa765d61d8327deb882cf99")])
    );
    // Its link-click tracking is not an open.
    assert_eq!(decoded("https://acme.activehosted.com/lt.php?nl=1&c=2&m=3&s=abc&l=https%3A%2F%2Fshop.example").action, None);
    let sg = decoded("https://u1234567.ct.sendgrid.net/wf/open?upn=AbC-dEf_123");
    assert_eq!((sg.action, ids(&sg)), (Some(Action::Open), vec![("token", "AbC-dEf_123")]));
    // Through Gmail's image proxy: decoded by the URL it carries.
    let proxied =
        decoded("https://ci3.googleusercontent.com/proxy/AbC=s0-d-e1-ft#https://acme.us21.list-manage.com/track/open.php?u=abc&id=def&e=ghi");
    assert_eq!((proxied.vendor, ids(&proxied).len()), ("Mailchimp", 3));
}

#[test]
fn a_plain_address_anywhere_is_named_plain() {
    let d = decoded(&format!(
        "https://www.facebook.com/tr?id=1&ev=Lead&ud[em]={EMAIL_SHA256}&dl=https%3A%2F%2Fshop.example%2Fthanks%3Femail%3Djane%2540example.com"
    ));
    assert_eq!(personal(&d), [("email", Form::Plain)], "the page address carries it as typed");
    let plain = decoded("https://alb.reddit.com/rp.gif?id=t2_a&event=SignUp&em=jane%40example.com");
    assert_eq!((plain.action, personal(&plain)), (Some(Action::SignUp), vec![("email", Form::Plain)]));
}

#[test]
fn other_requests_are_not_decoded() {
    for url in [
        "https://shop.example/checkout?value=59&currency=EUR",
        "https://connect.facebook.net/en_US/fbevents.js",
        "https://www.facebook.com/translations/?id=1&ev=Purchase",
        "https://www.facebook.com/tr/",
        "https://notfacebook.com/tr?id=1&ev=Purchase",
        "https://www.google.com/search?q=pagead",
        "not a url",
        "",
    ] {
        assert_eq!(decode(url), None, "{url}");
    }
}

#[test]
fn values_currencies_and_lengths_are_checked() {
    let d = decoded("https://www.facebook.com/tr?id=1&ev=Purchase&cd[value]=59.00%3Cscript%3E&cd[currency]=EURO");
    assert_eq!((d.value, d.currency), (None, None));
    let zero = decoded("https://www.facebook.com/tr?id=1&ev=Purchase&cd[value]=0.00");
    assert_eq!(zero.value, None);
    let long = decoded(&format!("https://www.facebook.com/tr?id=1&ev={}", "é".repeat(400)));
    let event = long.event.unwrap();
    assert!(event.len() <= 300 && event.chars().all(|c| c == 'é'), "{} bytes", event.len());
}

#[test]
fn forms_of_personal_data() {
    assert_eq!(Form::of(EMAIL_SHA256), Some(Form::Sha256));
    assert_eq!(Form::of(&EMAIL_SHA256.to_ascii_uppercase()), Some(Form::Sha256));
    assert_eq!(Form::of(EMAIL_SHA256_B64), Some(Form::Sha256));
    assert_eq!(Form::of("5f4dcc3b5aa765d61d8327deb882cf99"), Some(Form::Md5));
    assert_eq!(Form::of("5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8"), Some(Form::Sha1));
    assert_eq!(Form::of("jane@example.com"), Some(Form::Plain));
    assert_eq!(Form::of("+4915112345678"), Some(Form::Plain));
    assert_eq!(Form::of("  "), None);
}

#[test]
fn event_names_map_to_actions_across_spellings() {
    for (event, action) in [
        ("Purchase", Action::Purchase),
        ("PURCHASE", Action::Purchase),
        ("CompletePayment", Action::Purchase),
        ("add_to_cart", Action::AddToCart),
        ("ADD_CART", Action::AddToCart),
        ("InitiateCheckout", Action::Checkout),
        ("begin_checkout", Action::Checkout),
        ("CompleteRegistration", Action::SignUp),
        ("SIGN_UP", Action::SignUp),
        ("PAGE_VIEW", Action::PageView),
        ("PageVisit", Action::PageView),
        ("generate_lead", Action::Lead),
    ] {
        assert_eq!(Action::of_event(event), Some(action), "{event}");
    }
    assert_eq!(Action::of_event("quiz_done"), None);
}

#[test]
fn endpoint_patterns_cover_every_decoder() {
    let patterns = endpoint_patterns();
    for p in &patterns {
        assert!(p.starts_with("*://*.") && p.ends_with('*') && !p.contains([';', '?']), "{p}");
    }
    for expected in ["*://*.facebook.com/tr*", "*://*.google-analytics.com/g/collect*", "*://*.doubleclick.net/activity*", "*://*.ct.pinterest.com/*"]
    {
        assert!(patterns.iter().any(|p| p == expected), "{expected} in {patterns:?}");
    }
    assert_eq!(patterns.len(), patterns.iter().collect::<std::collections::HashSet<_>>().len());
}

#[test]
fn serialised_as_camel_case_without_empty_fields() {
    let d = decoded("https://www.facebook.com/tr?id=1&ev=Purchase&cd[order_id]=T-1&ud[em]=jane%40example.com");
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(
        json,
        serde_json::json!({ "vendor": "Meta Pixel", "event": "Purchase", "action": "purchase", "orderId": "T-1", "ids": { "pixel": "1" }, "personal": { "email": "plain" } })
    );
}
