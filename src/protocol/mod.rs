//! MCP protocol facts that do not depend on a transport: revisions, negotiation,
//! capabilities, logging levels.

pub mod logging;

use serde_json::{json, Map, Value};

/// Session-era revisions this server speaks, oldest first.
pub const SUPPORTED_VERSIONS: [&str; 4] = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];
pub const LATEST_VERSION: &str = "2025-11-25";
/// What a Streamable HTTP request without `MCP-Protocol-Version` is assumed to speak.
pub const DEFAULT_HTTP_VERSION: &str = "2025-03-26";

pub fn is_supported(version: &str) -> bool {
    SUPPORTED_VERSIONS.contains(&version)
}

/// The client's version when we speak it, else the newest we do.
pub fn negotiate(requested: Option<&str>) -> &'static str {
    match requested {
        Some(v) => SUPPORTED_VERSIONS
            .iter()
            .find(|s| **s == v)
            .copied()
            .unwrap_or(LATEST_VERSION),
        None => LATEST_VERSION,
    }
}

/// Batches exist in exactly one revision.
pub fn allows_batches(version: &str) -> bool {
    version == "2025-03-26"
}

/// Who the server is, as `serverInfo` and `instructions` show it.
#[derive(Debug, Clone, Default)]
pub struct ServerInfo {
    pub name: String,
    pub version: String,
    pub title: Option<String>,
    pub instructions: Option<String>,
    pub website_url: Option<String>,
    pub icons: Option<Value>,
}

impl ServerInfo {
    fn info_value(&self, version: &str) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), Value::String(self.name.clone()));
        if let Some(t) = &self.title {
            m.insert("title".into(), Value::String(t.clone()));
        }
        m.insert("version".into(), Value::String(self.version.clone()));
        // websiteUrl and icons arrived with 2025-11-25; older schemas do not know them.
        if version >= "2025-11-25" {
            if let Some(u) = &self.website_url {
                m.insert("websiteUrl".into(), Value::String(u.clone()));
            }
            if let Some(i) = &self.icons {
                m.insert("icons".into(), i.clone());
            }
        }
        Value::Object(m)
    }
}

/// What the server offers; `completions` only when a completion handler exists.
pub fn capabilities(completions: bool) -> Value {
    let mut caps = json!({
        "experimental": {},
        "logging": {},
        "prompts": {"listChanged": true},
        "resources": {"subscribe": true, "listChanged": true},
        "tools": {"listChanged": true},
    });
    if completions {
        caps["completions"] = json!({});
    }
    caps
}

pub fn initialize_result(info: &ServerInfo, version: &str, completions: bool) -> Value {
    let mut m = Map::new();
    m.insert("protocolVersion".into(), Value::String(version.to_owned()));
    m.insert("capabilities".into(), capabilities(completions));
    m.insert("serverInfo".into(), info.info_value(version));
    if let Some(i) = &info.instructions {
        m.insert("instructions".into(), Value::String(i.clone()));
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_echoes_known_versions_and_falls_back_to_latest() {
        for v in SUPPORTED_VERSIONS {
            assert_eq!(negotiate(Some(v)), v);
        }
        assert_eq!(negotiate(Some("2099-01-01")), LATEST_VERSION);
        assert_eq!(negotiate(Some("1.0")), LATEST_VERSION);
        assert_eq!(negotiate(None), LATEST_VERSION);
    }

    #[test]
    fn initialize_result_shape() {
        let info = ServerInfo {
            name: "demo".into(),
            version: "1.2".into(),
            instructions: Some("use it".into()),
            website_url: Some("https://x".into()),
            ..Default::default()
        };
        let r = initialize_result(&info, "2025-06-18", false);
        assert_eq!(r["protocolVersion"], "2025-06-18");
        assert_eq!(r["serverInfo"], json!({"name": "demo", "version": "1.2"}));
        assert_eq!(r["instructions"], "use it");
        assert!(r["capabilities"].get("completions").is_none());
        let r = initialize_result(&info, "2025-11-25", true);
        assert_eq!(r["serverInfo"]["websiteUrl"], "https://x");
        assert_eq!(r["capabilities"]["completions"], json!({}));
        assert_eq!(r["capabilities"]["resources"]["subscribe"], true);
    }

    #[test]
    fn batches_only_in_2025_03_26() {
        assert!(allows_batches("2025-03-26"));
        assert!(!allows_batches("2025-06-18"));
        assert!(!allows_batches("2024-11-05"));
    }
}
