//! Pixel knowledge: list annotations, the company catalogue, kinds, and suspected-pixel scoring.

mod annotations;
mod catalogue;
mod context;
mod kind;
mod suspect;

pub use annotations::{Annotation, Annotations};
pub use catalogue::{Category, CatalogueEntry, catalogue_size, lookup};
pub use context::{gmail_proxy_target, host_and_domain, is_webmail};
pub use kind::{KindFacts, PixelKind, classify};
pub use suspect::{PixelReport, Suspicion, suspect};

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
    let company = annotation
        .and_then(|a| a.company.clone())
        .or_else(|| entry.map(|e| e.company.to_string()))
        .or(domain);
    let category = entry.map(|e| e.category).or_else(|| annotation.and_then(|a| a.kind).map(Category::for_kind));
    let kind = classify(&KindFacts {
        url,
        source_url,
        resource_type,
        annotated: annotation.and_then(|a| a.kind),
        category,
    });
    Labels { company, category, kind, host }
}
