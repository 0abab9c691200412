//! The method router. Protocol-only methods are answered here from the registry and
//! the session; calls that need user code go to the `Backend` (the Python bridge, or a
//! Rust implementation in tests).

use crate::jsonrpc::{self, Message, Parsed, Rejected, RequestId, RpcError};
use crate::outgoing::Outgoing;
use crate::protocol::{self, logging::Level, ServerInfo};
use crate::registry::{DefinitionError, ListField, ListKind, Registry, ResourceTarget};
use crate::session::{RequestCtx, Session, Sink};
use parking_lot::{Mutex, RwLock};
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Weak};

/// Which kind of user code a call runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    Tool,
    Resource,
    Prompt,
    Completion,
    /// User code told about a method the engine already handled (`Registry::set_hook`);
    /// its result (normally `{}`) is the reply.
    Hook,
}

/// What the router found out for the handler beyond the request's params.
#[derive(Debug, Clone, PartialEq)]
pub enum Extra {
    /// tools/call: whether the arguments passed the compiled input schema.
    ArgumentsValid(bool),
    /// resources/read through a template: the matched URI variables.
    TemplateVars(Vec<(String, String)>),
    None,
}

pub struct Call<H> {
    pub kind: CallKind,
    pub handler: H,
    /// The request's params; for tools/call `arguments` is always an object.
    pub params: Value,
    pub extra: Extra,
    pub ctx: Arc<RequestCtx>,
}

/// Runs user code. `invoke` must not block: it queues the call and returns; the
/// handler replies through `call.ctx` (exactly once, unless cancelled).
pub trait Backend: Send + Sync + 'static {
    type Handler: Clone + Send + Sync + 'static;
    fn invoke(&self, call: Call<Self::Handler>);

    /// Serve a plain HTTP request on a user-registered route (not MCP). Backends
    /// without such routes answer 404.
    fn http_route(&self, handler: Self::Handler, call: HttpCall) {
        let _ = handler;
        (call.respond)(HttpReply {
            status: 404,
            headers: vec![],
            body: b"Not Found".to_vec(),
        });
    }
}

/// A request for a user-registered HTTP route, and how to answer it.
pub struct HttpCall {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub client: Option<std::net::SocketAddr>,
    pub respond: HttpRespond,
}

/// Answers an `HttpCall`, once.
pub type HttpRespond = Box<dyn FnOnce(HttpReply) + Send>;

pub struct HttpReply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Turns a resource URI into the spelling the registry keys use (the SDK keys resources
/// by `str(AnyUrl(uri))`); `None` when it cannot.
pub type UriCanonicalizer = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

pub struct Server<B: Backend> {
    info: RwLock<ServerInfo>,
    canonicalizer: RwLock<Option<UriCanonicalizer>>,
    registry: RwLock<Registry<B::Handler>>,
    pub backend: B,
    sessions: Mutex<Vec<Weak<Session>>>,
    /// Items per `*/list` page; 0 lists everything at once.
    page_size: AtomicUsize,
}

/// Where the messages caused by one input go: the replies, the messages related to a
/// request before its reply, and the HTTP headers handlers may read.
pub struct Route {
    pub reply: Arc<dyn Sink>,
    pub stream: Arc<dyn Sink>,
    pub headers: Option<Arc<Vec<(String, String)>>>,
}

/// A sink that gathers the replies of one batch and sends them as one array.
struct BatchCollector {
    out: Arc<dyn Sink>,
    state: Mutex<(usize, Vec<Vec<u8>>)>,
}

impl BatchCollector {
    fn arrive(&self, reply: Option<Outgoing>) {
        let mut st = self.state.lock();
        if let Some(r) = reply {
            st.1.push(r.into_vec());
        }
        st.0 -= 1;
        if st.0 == 0 && !st.1.is_empty() {
            let parts = std::mem::take(&mut st.1);
            drop(st);
            let mut out = Vec::with_capacity(parts.iter().map(|p| p.len() + 1).sum::<usize>() + 2);
            out.push(b'[');
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(p);
            }
            out.push(b']');
            self.out.send(out.into());
        }
    }
}

impl Sink for BatchCollector {
    fn send(&self, message: Outgoing) {
        self.arrive(Some(message));
    }
    fn skip(&self) {
        self.arrive(None);
    }
}

fn param_str<'a>(params: &'a Option<Value>, key: &str) -> Option<&'a str> {
    params.as_ref()?.get(key)?.as_str()
}

fn params_object(params: Option<Value>) -> Result<Map<String, Value>, RpcError> {
    match params {
        None => Ok(Map::new()),
        Some(Value::Object(m)) => Ok(m),
        Some(_) => Err(RpcError::invalid_params("Invalid params: params must be an object")),
    }
}

impl<B: Backend> Server<B> {
    pub fn new(info: ServerInfo, backend: B) -> Self {
        Server {
            info: RwLock::new(info),
            canonicalizer: RwLock::new(None),
            registry: RwLock::new(Registry::default()),
            backend,
            sessions: Mutex::new(Vec::new()),
            page_size: AtomicUsize::new(0),
        }
    }

    pub fn set_page_size(&self, n: usize) {
        self.page_size.store(n, Ordering::Relaxed);
    }

    pub fn info(&self) -> ServerInfo {
        self.info.read().clone()
    }

    /// How `resources/read` spells a requested URI before looking it up; without one (or
    /// for URIs normalisation leaves alone) the URI is looked up as sent.
    pub fn set_uri_canonicalizer(&self, canonicalizer: Option<UriCanonicalizer>) {
        *self.canonicalizer.write() = canonicalizer;
    }

    fn canonical_uri(&self, uri: &str) -> Option<String> {
        if crate::registry::uri_template::is_canonical(uri) {
            return None;
        }
        let canonicalizer = self.canonicalizer.read().clone()?;
        canonicalizer(uri).filter(|c| c != uri)
    }

    /// Replace the identity sessions are told about when they initialize from now on.
    pub fn set_info(&self, info: ServerInfo) {
        *self.info.write() = info;
    }

    // ---- sessions --------------------------------------------------------------------

    pub fn open_session(&self, id: Option<String>, sink: Arc<dyn Sink>) -> Arc<Session> {
        let s = Session::new(id, sink);
        let mut all = self.sessions.lock();
        all.retain(|w| w.strong_count() > 0);
        all.push(Arc::downgrade(&s));
        s
    }

    /// Requests in flight over all sessions.
    pub fn in_flight(&self) -> usize {
        self.live_sessions().iter().map(|s| s.in_flight_count()).sum()
    }

    fn live_sessions(&self) -> Vec<Arc<Session>> {
        self.sessions
            .lock()
            .iter()
            .filter_map(Weak::upgrade)
            .filter(|s| !s.is_closed())
            .collect()
    }

    /// Tell every initialized session that a list changed.
    pub fn notify_list_changed(&self, kind: ListKind) {
        for s in self.live_sessions() {
            if s.is_initialized() {
                s.notify(kind.notification(), None);
            }
        }
    }

    /// `notifications/resources/updated` to the sessions subscribed to `uri`.
    pub fn notify_resource_updated(&self, uri: &str) {
        let params = serde_json::json!({ "uri": uri });
        for s in self.live_sessions() {
            if s.is_subscribed(uri) {
                s.notify("notifications/resources/updated", Some(&params));
            }
        }
    }

    // ---- registry --------------------------------------------------------------------

    pub fn add_tool(&self, definition: Value, handler: B::Handler) -> Result<(), DefinitionError> {
        self.registry.write().add_tool(definition, handler)?;
        self.notify_list_changed(ListKind::Tools);
        Ok(())
    }

    pub fn remove_tool(&self, name: &str) -> bool {
        let removed = self.registry.write().remove_tool(name);
        if removed {
            self.notify_list_changed(ListKind::Tools);
        }
        removed
    }

    pub fn add_resource(&self, definition: Value, handler: B::Handler) -> Result<(), DefinitionError> {
        self.registry.write().add_resource(definition, handler)?;
        self.notify_list_changed(ListKind::Resources);
        Ok(())
    }

    pub fn remove_resource(&self, uri: &str) -> bool {
        let removed = {
            let mut r = self.registry.write();
            r.remove_resource(uri) | r.remove_template(uri)
        };
        if removed {
            self.notify_list_changed(ListKind::Resources);
        }
        removed
    }

    pub fn add_template(&self, definition: Value, handler: B::Handler) -> Result<(), DefinitionError> {
        self.registry.write().add_template(definition, handler)?;
        self.notify_list_changed(ListKind::Resources);
        Ok(())
    }

    pub fn add_prompt(&self, definition: Value, handler: B::Handler) -> Result<(), DefinitionError> {
        self.registry.write().add_prompt(definition, handler)?;
        self.notify_list_changed(ListKind::Prompts);
        Ok(())
    }

    pub fn remove_prompt(&self, name: &str) -> bool {
        let removed = self.registry.write().remove_prompt(name);
        if removed {
            self.notify_list_changed(ListKind::Prompts);
        }
        removed
    }

    pub fn set_completion(&self, handler: Option<B::Handler>) {
        self.registry.write().set_completion(handler);
    }

    pub fn set_hook(&self, method: &str, handler: Option<B::Handler>) -> Result<(), DefinitionError> {
        self.registry.write().set_hook(method, handler)
    }

    // ---- messages --------------------------------------------------------------------

    /// Handle one parsed input (a line or a body) of `session`; replies go to its sink.
    pub fn handle(&self, session: &Arc<Session>, parsed: Parsed) {
        self.handle_on_session(session, parsed, None);
    }

    /// Route a message whose replies and related messages all go to the session's own
    /// sink, with the HTTP request's headers when it came over HTTP.
    pub fn handle_on_session(
        &self,
        session: &Arc<Session>,
        parsed: Parsed,
        headers: Option<Arc<Vec<(String, String)>>>,
    ) {
        let sink = session.sink().clone();
        self.handle_routed(
            session,
            parsed,
            Route {
                reply: sink.clone(),
                stream: sink,
                headers,
            },
        );
    }

    /// Handle one input whose replies and related messages go where the transport says
    /// (an HTTP response stream, a JSON response, the session).
    pub fn handle_routed(&self, session: &Arc<Session>, parsed: Parsed, route: Route) {
        match parsed {
            Parsed::Single(m) => self.handle_message(session, m, &route),
            Parsed::Rejected(r) => route.reply.send(jsonrpc::error_bytes(r.id.as_ref(), &r.error).into()),
            Parsed::Batch(items) => self.handle_batch(session, items, route),
        }
    }

    fn handle_batch(&self, session: &Arc<Session>, items: Vec<Result<Message, Rejected>>, route: Route) {
        // Batches exist only in 2025-03-26; `initialize` may not be batched, so the
        // session's revision decides.
        if !session.version().is_some_and(protocol::allows_batches) {
            let e = RpcError::new(
                jsonrpc::INVALID_REQUEST,
                "Invalid request: batches are not supported by this protocol version",
            );
            route.reply.send(jsonrpc::error_bytes(None, &e).into());
            return;
        }
        // Requests and rejected items each get one reply; notifications and responses none.
        let expected = items
            .iter()
            .filter(|i| matches!(i, Ok(Message::Request { .. }) | Err(_)))
            .count();
        if expected == 0 {
            for m in items.into_iter().flatten() {
                self.handle_message(session, m, &route);
            }
            return;
        }
        let collector: Arc<dyn Sink> = Arc::new(BatchCollector {
            out: route.reply.clone(),
            state: Mutex::new((expected, Vec::new())),
        });
        let batch_route = Route {
            reply: collector.clone(),
            stream: route.stream.clone(),
            headers: route.headers.clone(),
        };
        for item in items {
            match item {
                Ok(m) => self.handle_message(session, m, &batch_route),
                Err(r) => collector.send(jsonrpc::error_bytes(r.id.as_ref(), &r.error).into()),
            }
        }
    }

    fn handle_message(&self, session: &Arc<Session>, message: Message, route: &Route) {
        match message {
            Message::Request { id, method, params } => {
                let ctx = RequestCtx::new(
                    id,
                    session.clone(),
                    params.as_ref(),
                    route.reply.clone(),
                    route.stream.clone(),
                    route.headers.clone(),
                );
                self.route(ctx, &method, params);
            }
            Message::Notification { method, params } => self.handle_notification(session, &method, params),
            Message::Response { id, result } => {
                session.resolve(&id, Ok(result));
            }
            Message::Error { id: Some(id), error } => {
                session.resolve(&id, Err(error));
            }
            Message::Error { id: None, .. } => {}
        }
    }

    fn handle_notification(&self, session: &Arc<Session>, method: &str, params: Option<Value>) {
        match method {
            "notifications/initialized" => session.mark_initialized(),
            "notifications/cancelled" => {
                let id = params.as_ref().and_then(|p| p.get("requestId"));
                let id = match id {
                    Some(Value::String(s)) => Some(RequestId::Str(s.clone())),
                    Some(Value::Number(n)) => n.as_i64().map(RequestId::Int),
                    _ => None,
                };
                if let Some(id) = id {
                    session.cancel_request(&id);
                }
            }
            // roots/list_changed, progress for our requests, unknown notifications: nothing to do.
            _ => {}
        }
    }

    /// Answer or hand over one request whose context the transport built.
    pub fn route(&self, ctx: Arc<RequestCtx>, method: &str, params: Option<Value>) {
        let session = ctx.session.clone();
        let outcome: Result<Option<String>, RpcError> = match method {
            "initialize" => self.initialize(&session, params).map(Some),
            "ping" => Ok(Some("{}".into())),
            "tools/list" => self.list(ListField::Tools, &params),
            "resources/list" => self.list(ListField::Resources, &params),
            "resources/templates/list" => self.list(ListField::ResourceTemplates, &params),
            "prompts/list" => self.list(ListField::Prompts, &params),
            "logging/setLevel" => set_level(&session, &params).map(|_| self.after_hook(&ctx, method, &params)),
            "resources/subscribe" | "resources/unsubscribe" => match param_str(&params, "uri") {
                Some(uri) => {
                    if method == "resources/subscribe" {
                        session.subscribe(uri)
                    } else {
                        session.unsubscribe(uri)
                    }
                    Ok(self.after_hook(&ctx, method, &params))
                }
                None => Err(RpcError::invalid_params("Invalid params: uri (a string) is required")),
            },
            "tools/call" => self.call_tool(&ctx, params).map(|_| None),
            "resources/read" => self.read_resource(&ctx, params).map(|_| None),
            "prompts/get" => self.get_prompt(&ctx, params).map(|_| None),
            "completion/complete" => self.complete(&ctx, params).map(|_| None),
            _ => Err(RpcError::method_not_found()),
        };
        match outcome {
            Ok(Some(json)) => ctx.respond_json(json.as_bytes()),
            Ok(None) => {}
            Err(e) => ctx.respond_error(&e),
        }
    }

    /// After the engine handled `method`: hand it to the user's hook, which replies, or
    /// answer `{}` here when there is none.
    fn after_hook(&self, ctx: &Arc<RequestCtx>, method: &str, params: &Option<Value>) -> Option<String> {
        let hook = self.registry.read().hook(method).cloned();
        match hook {
            Some(handler) => {
                let params = params.clone().unwrap_or_else(|| Value::Object(Map::new()));
                self.dispatch(ctx, CallKind::Hook, handler, params, Extra::None);
                None
            }
            None => Some("{}".into()),
        }
    }

    fn initialize(&self, session: &Arc<Session>, params: Option<Value>) -> Result<String, RpcError> {
        let requested = param_str(&params, "protocolVersion")
            .ok_or_else(|| RpcError::invalid_params("Invalid params: initialize needs protocolVersion (a string)"))?;
        let version = protocol::negotiate(Some(requested));
        let completions = self.registry.read().completion().is_some();
        let result = protocol::initialize_result(&self.info.read(), version, completions);
        session.set_initialize(version, params.unwrap_or(Value::Null));
        Ok(serde_json::to_string(&result).expect("values serialise"))
    }

    fn list(&self, field: ListField, params: &Option<Value>) -> Result<Option<String>, RpcError> {
        let cursor = match params.as_ref().and_then(|p| p.get("cursor")) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(_) => return Err(RpcError::invalid_params("Invalid params: cursor must be a string")),
        };
        self.registry
            .read()
            .list_json(field, cursor, self.page_size.load(Ordering::Relaxed))
            .map(Some)
            .map_err(RpcError::invalid_params)
    }

    fn call_tool(&self, ctx: &Arc<RequestCtx>, params: Option<Value>) -> Result<(), RpcError> {
        let mut params = params_object(params)?;
        let name = match params.get("name") {
            Some(Value::String(n)) => n.clone(),
            _ => {
                return Err(RpcError::invalid_params(
                    "Invalid params: tools/call needs name (a string)",
                ))
            }
        };
        let tool = self
            .registry
            .read()
            .tool(&name)
            .ok_or_else(|| RpcError::invalid_params(format!("Unknown tool: {name}")))?;
        let arguments = match params.remove("arguments") {
            None | Some(Value::Null) => Value::Object(Map::new()),
            Some(a @ Value::Object(_)) => a,
            Some(_) => return Err(RpcError::invalid_params("Invalid params: arguments must be an object")),
        };
        let valid = tool.validates(&arguments);
        params.insert("arguments".into(), arguments);
        self.dispatch(
            ctx,
            CallKind::Tool,
            tool.entry.handler.clone(),
            Value::Object(params),
            Extra::ArgumentsValid(valid),
        );
        Ok(())
    }

    fn read_resource(&self, ctx: &Arc<RequestCtx>, params: Option<Value>) -> Result<(), RpcError> {
        let mut params = params_object(params)?;
        let Some(uri) = params.get("uri").and_then(Value::as_str) else {
            return Err(RpcError::invalid_params(
                "Invalid params: resources/read needs uri (a string)",
            ));
        };
        // Registered URIs are kept normalised; a request spelled otherwise ("file://x" for
        // "file://x/", an upper-case host) is looked up, and answered, normalised too.
        if let Some(canonical) = self.canonical_uri(uri) {
            params.insert("uri".into(), Value::String(canonical));
        }
        let uri = params["uri"].as_str().expect("a string, checked above");
        let target = self.registry.read().resolve_resource(uri);
        match target {
            Some(ResourceTarget::Concrete(e)) => self.dispatch(
                ctx,
                CallKind::Resource,
                e.handler.clone(),
                Value::Object(params),
                Extra::None,
            ),
            Some(ResourceTarget::Template(t, vars)) => self.dispatch(
                ctx,
                CallKind::Resource,
                t.entry.handler.clone(),
                Value::Object(params),
                Extra::TemplateVars(vars),
            ),
            None => {
                return Err(
                    RpcError::new(jsonrpc::RESOURCE_NOT_FOUND, format!("Unknown resource: {uri}"))
                        .with_data(serde_json::json!({ "uri": uri })),
                )
            }
        }
        Ok(())
    }

    fn get_prompt(&self, ctx: &Arc<RequestCtx>, params: Option<Value>) -> Result<(), RpcError> {
        let params = params_object(params)?;
        let Some(name) = params.get("name").and_then(Value::as_str) else {
            return Err(RpcError::invalid_params(
                "Invalid params: prompts/get needs name (a string)",
            ));
        };
        match params.get("arguments") {
            None | Some(Value::Null) | Some(Value::Object(_)) => {}
            Some(_) => return Err(RpcError::invalid_params("Invalid params: arguments must be an object")),
        }
        let prompt = self
            .registry
            .read()
            .prompt(name)
            .ok_or_else(|| RpcError::invalid_params(format!("Unknown prompt: {name}")))?;
        self.dispatch(
            ctx,
            CallKind::Prompt,
            prompt.handler.clone(),
            Value::Object(params),
            Extra::None,
        );
        Ok(())
    }

    fn complete(&self, ctx: &Arc<RequestCtx>, params: Option<Value>) -> Result<(), RpcError> {
        let handler = self
            .registry
            .read()
            .completion()
            .cloned()
            .ok_or_else(RpcError::method_not_found)?;
        let params = params_object(params)?;
        if !params.get("ref").is_some_and(Value::is_object) || !params.get("argument").is_some_and(Value::is_object) {
            return Err(RpcError::invalid_params(
                "Invalid params: completion/complete needs ref and argument objects",
            ));
        }
        self.dispatch(ctx, CallKind::Completion, handler, Value::Object(params), Extra::None);
        Ok(())
    }

    fn dispatch(&self, ctx: &Arc<RequestCtx>, kind: CallKind, handler: B::Handler, params: Value, extra: Extra) {
        ctx.session.track(ctx);
        self.backend.invoke(Call {
            kind,
            handler,
            params,
            extra,
            ctx: ctx.clone(),
        });
    }
}

fn set_level(session: &Session, params: &Option<Value>) -> Result<(), RpcError> {
    let name = param_str(params, "level")
        .ok_or_else(|| RpcError::invalid_params("Invalid params: logging/setLevel needs level (a string)"))?;
    let level = Level::parse(name).ok_or_else(|| {
        RpcError::invalid_params(format!(
            "Invalid log level: {name:?} (one of {})",
            protocol::logging::LEVEL_NAMES.join(", ")
        ))
    })?;
    session.set_log_level(level);
    Ok(())
}
