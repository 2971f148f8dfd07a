//! Serde types mirroring the declarativeNetRequest rule schema; absent fields are omitted.

use serde::{Deserialize, Serialize};

/// One DNR rule, as `updateDynamicRules` and static ruleset files take it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub id: u32,
    pub priority: u32,
    pub action: Action,
    pub condition: Condition,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Action {
    #[serde(rename = "type")]
    pub kind: ActionType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect: Option<Redirect>,
}

/// Action types, in the order DNR breaks priority ties (allow first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ActionType {
    Allow,
    AllowAllRequests,
    Block,
    UpgradeScheme,
    Redirect,
    ModifyHeaders,
}

impl ActionType {
    /// Redirect and modifyHeaders rules count against the browsers' "unsafe" rule limit.
    pub fn is_unsafe(self) -> bool {
        matches!(self, ActionType::Redirect | ActionType::ModifyHeaders)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Redirect {
    pub transform: UrlTransform,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UrlTransform {
    pub query_transform: QueryTransform,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryTransform {
    pub remove_params: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DomainType {
    FirstParty,
    ThirdParty,
}

/// Defines [`ResourceType`] from one table of variants and names, so the enum, its serde names,
/// [`ResourceType::ALL`] and [`ResourceType::name`] cannot disagree.
macro_rules! resource_types {
    ($($variant:ident = $name:literal,)*) => {
        /// A DNR resource type (`ResourceType`), named as the browsers name it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum ResourceType {
            $(#[serde(rename = $name)] $variant,)*
        }

        impl ResourceType {
            /// Every resource type, in declaration order.
            pub const ALL: &[ResourceType] = &[$(ResourceType::$variant,)*];

            /// The name the browsers use, e.g. `main_frame`.
            pub fn name(self) -> &'static str {
                match self {
                    $(ResourceType::$variant => $name,)*
                }
            }
        }
    };
}

resource_types! {
    MainFrame = "main_frame",
    SubFrame = "sub_frame",
    Stylesheet = "stylesheet",
    Script = "script",
    Image = "image",
    Font = "font",
    Object = "object",
    Xmlhttprequest = "xmlhttprequest",
    Ping = "ping",
    CspReport = "csp_report",
    Media = "media",
    Websocket = "websocket",
    Webtransport = "webtransport",
    Webbundle = "webbundle",
    Other = "other",
    Beacon = "beacon",
    Imageset = "imageset",
    ObjectSubrequest = "object_subrequest",
    Speculative = "speculative",
    WebManifest = "web_manifest",
    XmlDtd = "xml_dtd",
    Xslt = "xslt",
    Json = "json",
}

impl ResourceType {
    /// The resource type the browsers call `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.name() == name)
    }
}

/// HTTP methods as DNR names them (lower case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestMethod {
    Connect,
    Delete,
    Get,
    Head,
    Options,
    Patch,
    Post,
    Put,
    Other,
}

impl RequestMethod {
    /// A method named in a filter's `$method=` (any case); `None` when DNR has no such method.
    pub fn parse(name: &str) -> Option<Self> {
        use RequestMethod::*;
        Some(match name.to_ascii_lowercase().as_str() {
            "connect" => Connect,
            "delete" => Delete,
            "get" => Get,
            "head" => Head,
            "options" => Options,
            "patch" => Patch,
            "post" => Post,
            "put" => Put,
            _ => return None,
        })
    }
}

/// A rule's condition; every field is optional and omitted from JSON when absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_filter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex_filter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_url_filter_case_sensitive: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiator_domains: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded_initiator_domains: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_domains: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded_request_domains: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_types: Option<Vec<ResourceType>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded_resource_types: Option<Vec<ResourceType>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_methods: Option<Vec<RequestMethod>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded_request_methods: Option<Vec<RequestMethod>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_type: Option<DomainType>,
}

impl Condition {
    /// Every domain the condition names, for ASCII checks.
    pub fn domains(&self) -> impl Iterator<Item = &str> {
        [&self.initiator_domains, &self.excluded_initiator_domains, &self.request_domains, &self.excluded_request_domains]
            .into_iter()
            .flatten()
            .flatten()
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_to_the_browser_schema_and_omits_absent_fields() {
        let rule = Rule {
            id: 7,
            priority: 1,
            action: Action {
                kind: ActionType::Redirect,
                redirect: Some(Redirect { transform: UrlTransform { query_transform: QueryTransform { remove_params: vec!["utm_source".into()] } } }),
            },
            condition: Condition {
                url_filter: Some("||example.com^".into()),
                excluded_resource_types: Some(vec![ResourceType::MainFrame, ResourceType::CspReport]),
                request_methods: Some(vec![RequestMethod::Post]),
                domain_type: Some(DomainType::ThirdParty),
                ..Condition::default()
            },
        };
        let json = serde_json::to_string(&rule).unwrap();
        assert_eq!(
            json,
            r#"{"id":7,"priority":1,"action":{"type":"redirect","redirect":{"transform":{"queryTransform":{"removeParams":["utm_source"]}}}},"condition":{"urlFilter":"||example.com^","excludedResourceTypes":["main_frame","csp_report"],"requestMethods":["post"],"domainType":"thirdParty"}}"#
        );
        assert_eq!(serde_json::from_str::<Rule>(&json).unwrap(), rule);
        let allow_all = Action { kind: ActionType::AllowAllRequests, redirect: None };
        assert_eq!(serde_json::to_string(&allow_all).unwrap(), r#"{"type":"allowAllRequests"}"#);
    }

    #[test]
    fn resource_type_names_match_serde_names() {
        for &t in ResourceType::ALL {
            assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{}\"", t.name()));
            assert_eq!(ResourceType::from_name(t.name()), Some(t));
        }
        assert_eq!(ResourceType::from_name("gif"), None);
    }
}
