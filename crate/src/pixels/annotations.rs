//! The `! pixelguard: company=…; kind=…` comment convention: parsed into line ranges per list.

use serde::{Deserialize, Serialize};

use super::kind::PixelKind;

const PREFIX: &str = "pixelguard:";

/// One annotation: it labels the lines after `line` up to the next annotation of the same list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    /// 1-based line number of the `! pixelguard:` comment.
    pub line: u32,
    /// `None` for `company=*`: name the company from the request's host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<PixelKind>,
}

/// A list's annotations in line order: compact, searchable by line, kept in snapshots.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Annotations(pub Vec<Annotation>);

impl Annotations {
    /// Reads every `! pixelguard:` comment of a list's text. Unknown keys are ignored, an
    /// unknown kind reads as none, so a newer list never breaks an older build.
    pub fn parse(text: &str) -> Self {
        let mut out = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let Some(body) = raw.trim().strip_prefix('!').map(str::trim_start) else { continue };
            let Some(fields) = body.strip_prefix(PREFIX) else { continue };
            let mut annotation = Annotation { line: u32::try_from(index + 1).unwrap_or(u32::MAX), company: None, kind: None };
            for field in fields.split(';') {
                let Some((key, value)) = field.split_once('=') else { continue };
                let value = value.trim();
                match key.trim() {
                    "company" if !value.is_empty() && value != "*" => annotation.company = Some(value.to_string()),
                    "kind" => annotation.kind = PixelKind::from_name(value),
                    _ => {}
                }
            }
            out.push(annotation);
        }
        Self(out)
    }

    /// The annotation in force at 1-based `line`: the last one written above it.
    pub fn at(&self, line: u32) -> Option<&Annotation> {
        let after = self.0.partition_point(|a| a.line < line);
        after.checked_sub(1).map(|i| &self.0[i])
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "! Title: t\n||a.test^\n! pixelguard: company=Meta; kind=conversion\n||facebook.com/tr^\n\n||connect.facebook.net/x\n!  pixelguard:company=*;kind=email-open ; extra=1\n/wf/open?\n! pixelguard: company=Odd; kind=teleport\n||odd.test^\n";

    #[test]
    fn annotations_label_the_lines_below_them() {
        let a = Annotations::parse(LIST);
        assert_eq!(a.0.len(), 3);
        assert_eq!(a.at(2), None);
        let meta = a.at(4).unwrap();
        assert_eq!((meta.company.as_deref(), meta.kind), (Some("Meta"), Some(PixelKind::Conversion)));
        assert_eq!(a.at(6), Some(meta));
        let generic = a.at(8).unwrap();
        assert_eq!((generic.company.as_deref(), generic.kind), (None, Some(PixelKind::EmailOpen)));
        let odd = a.at(10).unwrap();
        assert_eq!((odd.company.as_deref(), odd.kind), (Some("Odd"), None));
    }

    #[test]
    fn ordinary_comments_are_not_annotations() {
        assert!(Annotations::parse("! pixelguards are nice\n! company=X; kind=analytics\n||x^\n").is_empty());
    }
}
