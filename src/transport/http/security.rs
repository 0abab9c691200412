//! DNS-rebinding protection: which `Host` and `Origin` values a server accepts.
//! Patterns are exact values or `base:*` (any port), as the reference SDK spells them.

#[derive(Debug, Clone, Default)]
pub struct Security {
    pub enabled: bool,
    pub allowed_hosts: Vec<String>,
    pub allowed_origins: Vec<String>,
}

impl Security {
    /// What a server bound to `host` gets by default: protection on for loopback binds,
    /// allowing only loopback names.
    pub fn for_bind(host: &str) -> Security {
        let local = matches!(host, "127.0.0.1" | "localhost" | "::1" | "[::1]");
        if !local {
            return Security::default();
        }
        let hosts = ["127.0.0.1:*", "localhost:*", "[::1]:*"];
        Security {
            enabled: true,
            allowed_hosts: hosts.iter().map(|h| h.to_string()).collect(),
            allowed_origins: hosts.iter().map(|h| format!("http://{h}")).collect(),
        }
    }

    pub fn host_ok(&self, host: Option<&str>) -> bool {
        if !self.enabled {
            return true;
        }
        host.is_some_and(|h| self.allowed_hosts.iter().any(|p| matches_pattern(p, h)))
    }

    /// An absent Origin passes (non-browser clients send none).
    pub fn origin_ok(&self, origin: Option<&str>) -> bool {
        if !self.enabled {
            return true;
        }
        origin.is_none_or(|o| self.allowed_origins.iter().any(|p| matches_pattern(p, o)))
    }
}

fn matches_pattern(pattern: &str, value: &str) -> bool {
    if pattern == value {
        return true;
    }
    match pattern.strip_suffix(":*") {
        Some(base) => {
            value == base
                || value
                    .strip_prefix(base)
                    .and_then(|r| r.strip_prefix(':'))
                    .is_some_and(|port| port.bytes().all(|b| b.is_ascii_digit()))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_binds_accept_only_loopback_names() {
        let s = Security::for_bind("127.0.0.1");
        assert!(s.host_ok(Some("127.0.0.1:8000")));
        assert!(s.host_ok(Some("localhost:3000")));
        assert!(s.host_ok(Some("localhost")));
        assert!(!s.host_ok(Some("evil.example.com")));
        assert!(!s.host_ok(Some("localhost.evil.com:80")));
        assert!(!s.host_ok(None));
        assert!(s.origin_ok(None));
        assert!(s.origin_ok(Some("http://localhost:5173")));
        assert!(!s.origin_ok(Some("http://evil.example.com")));
    }

    #[test]
    fn other_binds_and_custom_lists() {
        assert!(Security::for_bind("0.0.0.0").host_ok(Some("anything")));
        let s = Security {
            enabled: true,
            allowed_hosts: vec!["api.example.com".into()],
            allowed_origins: vec!["https://app.example.com".into()],
        };
        assert!(s.host_ok(Some("api.example.com")));
        assert!(!s.host_ok(Some("api.example.com:8080")));
        assert!(s.origin_ok(Some("https://app.example.com")));
        assert!(!s.origin_ok(Some("https://app.example.com:1")));
    }
}
