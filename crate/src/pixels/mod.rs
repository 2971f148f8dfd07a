//! Pixel knowledge: list annotations, the company catalogue, kinds, and suspected-pixel scoring.

mod annotations;
mod catalogue;
mod context;
mod kind;
mod suspect;

pub use annotations::{Annotation, Annotations};
pub use catalogue::{CatalogueEntry, Category, catalogue_size, lookup};
pub use context::{gmail_proxy_target, host_and_domain, is_webmail};
pub use kind::{KindFacts, PixelKind, classify};
pub use suspect::{Clue, PixelReport, Suspicion, TINY_PIXELS, suspect};

/// The labels a popup shows for one matched request: who, what for, which kind, which host.
#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    pub company: Option<String>,
    pub category: Option<Category>,
    pub kind: PixelKind,
    pub host: Option<String>,
}

/// Labels a request a filter matched. `annotation` is the `! pixelguard:` label of the filter's
/// line, when its list has one. A Gmail image-proxy URL is labelled by the URL it carries.
pub fn label(url: &str, source_url: &str, resource_type: &str, annotation: Option<&Annotation>) -> Labels {
    let target = gmail_proxy_target(url).unwrap_or(url);
    let (host, domain) = host_and_domain(target).unzip();
    let entry = host.as_deref().and_then(lookup);
    let company = annotation.and_then(|a| a.company.clone()).or_else(|| entry.map(|e| e.company.to_string())).or(domain);
    let category = entry.map(|e| e.category).or_else(|| annotation.and_then(|a| a.kind).and_then(Category::for_kind));
    let kind = classify(&KindFacts { url, source_url, resource_type, annotated: annotation.and_then(|a| a.kind), category });
    Labels { company, category, kind, host }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Decision, Engine, ListSource};

    #[test]
    fn a_filter_takes_the_annotation_right_above_it_whatever_the_line_endings() {
        for eol in ["\n", "\r\n"] {
            let text = [
                "! Title: t",
                "! pixelguard: company=Alpha; kind=analytics",
                "||alpha.test^",
                "! pixelguard: company=Beta; kind=conversion",
                "||beta.test^",
                "",
                "! pixelguard: company=*; kind=email-open",
                "/wf/open?upn=$image",
            ]
            .join(eol);
            let e = Engine::from_lists(&[ListSource::new("mine", "", text)]).unwrap();
            let check = |url: &str| e.check(url, "https://site.example/", "image").unwrap();
            let a = check("https://alpha.test/p.gif");
            assert_eq!((a.company.as_deref(), a.kind, a.category), (Some("Alpha"), Some(PixelKind::Analytics), Some(Category::Analytics)));
            assert_eq!(a.filter.unwrap().line, Some(3));
            let b = check("https://beta.test/p.gif");
            assert_eq!((b.company.as_deref(), b.kind, b.category), (Some("Beta"), Some(PixelKind::Conversion), Some(Category::Advertising)));
            let g = check("https://links.acme-shop.co.uk/wf/open?upn=abc");
            assert_eq!(g.decision, Decision::Blocked);
            assert_eq!(
                (g.company.as_deref(), g.kind, g.host.as_deref()),
                (Some("acme-shop.co.uk"), Some(PixelKind::EmailOpen), Some("links.acme-shop.co.uk"))
            );
        }
    }

    #[test]
    fn gmail_proxy_urls_are_labelled_by_the_url_they_carry() {
        let l = label(
            "https://ci3.googleusercontent.com/proxy/AbC=s0-d-e1-ft#https://t.sidekickopen70.com/e1t/o/5/f18dQhb0S7kF8cpgq",
            "https://mail.google.com/mail/u/0/",
            "image",
            None,
        );
        assert_eq!(
            (l.company.as_deref(), l.category, l.kind, l.host.as_deref()),
            (Some("HubSpot"), Some(Category::Email), PixelKind::EmailOpen, Some("t.sidekickopen70.com"))
        );
    }
}
