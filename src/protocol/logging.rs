//! RFC 5424 severities as MCP names them, ordered from least to most severe.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Debug,
    Info,
    Notice,
    Warning,
    Error,
    Critical,
    Alert,
    Emergency,
}

pub const LEVEL_NAMES: [&str; 8] = [
    "debug",
    "info",
    "notice",
    "warning",
    "error",
    "critical",
    "alert",
    "emergency",
];

impl Level {
    pub fn parse(name: &str) -> Option<Level> {
        use Level::*;
        Some(match name {
            "debug" => Debug,
            "info" => Info,
            "notice" => Notice,
            "warning" => Warning,
            "error" => Error,
            "critical" => Critical,
            "alert" => Alert,
            "emergency" => Emergency,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        LEVEL_NAMES[self as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_round_trip_and_order() {
        for n in LEVEL_NAMES {
            assert_eq!(Level::parse(n).unwrap().name(), n);
        }
        assert!(Level::Debug < Level::Info && Level::Alert < Level::Emergency);
        assert_eq!(Level::parse("warn"), None);
    }
}
