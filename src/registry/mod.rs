//! The server's catalogue: tools, resources, resource templates and prompts, each with
//! the definition clients list and the handler that serves it. Definitions are kept
//! pre-serialised so `*/list` is a concatenation; tool input schemas are compiled once.

pub mod pagination;
pub mod uri_template;

use indexmap::IndexMap;
use serde_json::Value;
use std::sync::Arc;

pub use uri_template::UriTemplate;

/// What a list change concerns, for `notifications/*/list_changed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Tools,
    Resources,
    Prompts,
}

impl ListKind {
    pub fn notification(self) -> &'static str {
        match self {
            ListKind::Tools => "notifications/tools/list_changed",
            ListKind::Resources => "notifications/resources/list_changed",
            ListKind::Prompts => "notifications/prompts/list_changed",
        }
    }
}

/// One listed entry: its JSON definition (serialised once) and its handler.
pub struct Entry<H> {
    pub key: String,
    pub definition: Value,
    pub json: Box<str>,
    pub handler: H,
}

pub struct Tool<H> {
    pub entry: Entry<H>,
    /// None when the schema could not be compiled: every call then takes the lenient path.
    validator: Option<jsonschema::Validator>,
}

impl<H> Tool<H> {
    /// True when `arguments` conform to the tool's input schema.
    pub fn validates(&self, arguments: &Value) -> bool {
        self.validator.as_ref().is_some_and(|v| v.is_valid(arguments))
    }
}

pub struct Template<H> {
    pub entry: Entry<H>,
    pub template: UriTemplate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DefinitionError(pub String);

fn entry<H>(key_field: &str, definition: Value, handler: H) -> Result<Entry<H>, DefinitionError> {
    let key = definition
        .get(key_field)
        .and_then(Value::as_str)
        .ok_or_else(|| DefinitionError(format!("definition needs a string {key_field:?}")))?
        .to_owned();
    let json = serde_json::to_string(&definition)
        .expect("values serialise")
        .into_boxed_str();
    Ok(Entry {
        key,
        definition,
        json,
        handler,
    })
}

/// Tool names the spec allows: 1-128 characters of `[A-Za-z0-9_.-]` (and `/`, which
/// clients accept and some servers use for namespaces).
pub fn valid_tool_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'))
}

/// Methods the engine answers itself that may also notify user code (the SDK's low-level
/// `set_logging_level` / `subscribe_resource` / `unsubscribe_resource` handlers).
pub const HOOKABLE: [&str; 3] = ["logging/setLevel", "resources/subscribe", "resources/unsubscribe"];

pub struct Registry<H> {
    tools: IndexMap<String, Arc<Tool<H>>>,
    resources: IndexMap<String, Arc<Entry<H>>>,
    templates: IndexMap<String, Arc<Template<H>>>,
    prompts: IndexMap<String, Arc<Entry<H>>>,
    completion: Option<H>,
    hooks: IndexMap<String, H>,
}

impl<H> Default for Registry<H> {
    fn default() -> Self {
        Registry {
            tools: IndexMap::new(),
            resources: IndexMap::new(),
            templates: IndexMap::new(),
            prompts: IndexMap::new(),
            completion: None,
            hooks: IndexMap::new(),
        }
    }
}

/// A resolved `resources/read` target.
pub enum ResourceTarget<H> {
    Concrete(Arc<Entry<H>>),
    Template(Arc<Template<H>>, Vec<(String, String)>),
}

impl<H> Registry<H> {
    pub fn add_tool(&mut self, definition: Value, handler: H) -> Result<(), DefinitionError> {
        let schema = definition
            .get("inputSchema")
            .filter(|s| s.is_object())
            .ok_or_else(|| DefinitionError("a tool needs an object inputSchema".into()))?;
        let validator = jsonschema::validator_for(schema).ok();
        let entry = entry("name", definition, handler)?;
        self.tools
            .insert(entry.key.clone(), Arc::new(Tool { entry, validator }));
        Ok(())
    }

    pub fn remove_tool(&mut self, name: &str) -> bool {
        self.tools.shift_remove(name).is_some()
    }

    pub fn tool(&self, name: &str) -> Option<Arc<Tool<H>>> {
        self.tools.get(name).cloned()
    }

    pub fn add_resource(&mut self, definition: Value, handler: H) -> Result<(), DefinitionError> {
        let entry = entry("uri", definition, handler)?;
        self.resources.insert(entry.key.clone(), Arc::new(entry));
        Ok(())
    }

    pub fn remove_resource(&mut self, uri: &str) -> bool {
        self.resources.shift_remove(uri).is_some()
    }

    pub fn add_template(&mut self, definition: Value, handler: H) -> Result<(), DefinitionError> {
        let entry = entry("uriTemplate", definition, handler)?;
        let template = UriTemplate::parse(&entry.key).map_err(|e| DefinitionError(e.0))?;
        self.templates
            .insert(entry.key.clone(), Arc::new(Template { entry, template }));
        Ok(())
    }

    pub fn remove_template(&mut self, uri_template: &str) -> bool {
        self.templates.shift_remove(uri_template).is_some()
    }

    /// Concrete resources first, then templates in registration order.
    pub fn resolve_resource(&self, uri: &str) -> Option<ResourceTarget<H>> {
        if let Some(r) = self.resources.get(uri) {
            return Some(ResourceTarget::Concrete(r.clone()));
        }
        self.templates.values().find_map(|t| {
            t.template
                .matches(uri)
                .map(|vars| ResourceTarget::Template(t.clone(), vars))
        })
    }

    pub fn add_prompt(&mut self, definition: Value, handler: H) -> Result<(), DefinitionError> {
        let entry = entry("name", definition, handler)?;
        self.prompts.insert(entry.key.clone(), Arc::new(entry));
        Ok(())
    }

    pub fn remove_prompt(&mut self, name: &str) -> bool {
        self.prompts.shift_remove(name).is_some()
    }

    pub fn prompt(&self, name: &str) -> Option<Arc<Entry<H>>> {
        self.prompts.get(name).cloned()
    }

    pub fn set_completion(&mut self, handler: Option<H>) {
        self.completion = handler;
    }

    pub fn completion(&self) -> Option<&H> {
        self.completion.as_ref()
    }

    /// User code to run after the engine has handled one of the `HOOKABLE` methods itself.
    pub fn set_hook(&mut self, method: &str, handler: Option<H>) -> Result<(), DefinitionError> {
        if !HOOKABLE.contains(&method) {
            return Err(DefinitionError(format!(
                "no hook can be set for {method:?} (one of {})",
                HOOKABLE.join(", ")
            )));
        }
        match handler {
            Some(h) => {
                self.hooks.insert(method.to_string(), h);
            }
            None => {
                self.hooks.shift_remove(method);
            }
        }
        Ok(())
    }

    pub fn hook(&self, method: &str) -> Option<&H> {
        self.hooks.get(method)
    }

    /// One page of a list result, serialised: `{"<field>":[...],"nextCursor"?:..}`.
    pub fn list_json(&self, kind: ListField, cursor: Option<&str>, page_size: usize) -> Result<String, String> {
        let jsons: Vec<&str> = match kind {
            ListField::Tools => self.tools.values().map(|t| &*t.entry.json).collect(),
            ListField::Resources => self.resources.values().map(|r| &*r.json).collect(),
            ListField::ResourceTemplates => self.templates.values().map(|t| &*t.entry.json).collect(),
            ListField::Prompts => self.prompts.values().map(|p| &*p.json).collect(),
        };
        let (range, next) = pagination::page(jsons.len(), cursor, page_size)?;
        let mut out = String::with_capacity(64 + jsons[range.clone()].iter().map(|j| j.len() + 1).sum::<usize>());
        out.push_str("{\"");
        out.push_str(kind.field());
        out.push_str("\":[");
        for (i, j) in jsons[range].iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(j);
        }
        out.push(']');
        if let Some(c) = next {
            out.push_str(",\"nextCursor\":");
            out.push_str(&serde_json::to_string(&c).expect("string serialises"));
        }
        out.push('}');
        Ok(out)
    }
}

#[derive(Debug, Clone, Copy)]
pub enum ListField {
    Tools,
    Resources,
    ResourceTemplates,
    Prompts,
}

impl ListField {
    fn field(self) -> &'static str {
        match self {
            ListField::Tools => "tools",
            ListField::Resources => "resources",
            ListField::ResourceTemplates => "resourceTemplates",
            ListField::Prompts => "prompts",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tool(name: &str) -> Value {
        json!({"name": name, "description": "d", "inputSchema": {
            "type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}})
    }

    #[test]
    fn tools_validate_with_their_compiled_schema() {
        let mut r: Registry<u32> = Registry::default();
        r.add_tool(tool("add"), 1).unwrap();
        let t = r.tool("add").unwrap();
        assert!(t.validates(&json!({"a": 1})));
        assert!(!t.validates(&json!({"a": "1"})));
        assert!(!t.validates(&json!({})));
        assert_eq!(t.entry.handler, 1);
        assert!(r.add_tool(json!({"name": "x"}), 2).is_err());
        assert!(r.remove_tool("add"));
        assert!(r.tool("add").is_none());
    }

    #[test]
    fn lists_keep_registration_order_and_paginate() {
        let mut r: Registry<u32> = Registry::default();
        for n in ["c", "a", "b"] {
            r.add_tool(tool(n), 0).unwrap();
        }
        let all: Value = serde_json::from_str(&r.list_json(ListField::Tools, None, 0).unwrap()).unwrap();
        let names: Vec<_> = all["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["c", "a", "b"]);
        assert!(all.get("nextCursor").is_none());
        let p1: Value = serde_json::from_str(&r.list_json(ListField::Tools, None, 2).unwrap()).unwrap();
        assert_eq!(p1["tools"].as_array().unwrap().len(), 2);
        let c = p1["nextCursor"].as_str().unwrap();
        let p2: Value = serde_json::from_str(&r.list_json(ListField::Tools, Some(c), 2).unwrap()).unwrap();
        assert_eq!(p2["tools"][0]["name"], "b");
        assert!(p2.get("nextCursor").is_none());
        assert!(r.list_json(ListField::Tools, Some("nope"), 2).is_err());
    }

    #[test]
    fn concrete_resources_win_over_templates() {
        let mut r: Registry<u32> = Registry::default();
        r.add_template(json!({"uriTemplate": "x://{id}", "name": "t"}), 1)
            .unwrap();
        r.add_resource(json!({"uri": "x://fixed", "name": "f"}), 2).unwrap();
        match r.resolve_resource("x://fixed") {
            Some(ResourceTarget::Concrete(e)) => assert_eq!(e.handler, 2),
            _ => panic!("concrete expected"),
        }
        match r.resolve_resource("x://7") {
            Some(ResourceTarget::Template(t, vars)) => {
                assert_eq!(t.entry.handler, 1);
                assert_eq!(vars, vec![("id".to_string(), "7".to_string())]);
            }
            _ => panic!("template expected"),
        }
        assert!(r.resolve_resource("y://7").is_none());
    }

    #[test]
    fn tool_names() {
        assert!(valid_tool_name("get_weather.v2-beta"));
        assert!(!valid_tool_name(""));
        assert!(!valid_tool_name("has space"));
        assert!(!valid_tool_name(&"x".repeat(129)));
    }
}
