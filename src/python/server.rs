//! `ferromcp._core.Server`: the registry and transports, driven from Python.

use super::backend::{call_args, Handler, LoopItem, PyBackend, PyHandler};
use super::convert::py_to_value;
use super::handle::reply_args;
use super::memory::MemorySession;
use crate::dispatch::Server;
use crate::protocol::ServerInfo;
use crate::registry::{DefinitionError, ListKind};
use crate::transport::http::{self, HttpConfig, HttpServer, Security};
use crate::transport::stdio::{self, StdioServer};
use parking_lot::Mutex;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};
use std::fs::File;
use std::os::fd::FromRawFd;
use std::sync::Arc;

#[pyclass(frozen, module = "ferromcp._core", name = "Server")]
pub struct PyServer {
    core: Arc<Server<PyBackend>>,
    stdio: Mutex<Option<StdioServer>>,
    http: Mutex<Option<HttpServer>>,
    routes: Mutex<Vec<(String, Vec<String>, Handler)>>,
}

fn handler(callable: Py<PyAny>, is_async: bool) -> Handler {
    Arc::new(PyHandler { callable, is_async })
}

fn definition_error(e: DefinitionError) -> PyErr {
    PyValueError::new_err(e.0)
}

/// Duplicate a descriptor, failing with the OS error.
fn dup(fd: i32) -> PyResult<i32> {
    // SAFETY: dup on a descriptor number; failure is reported, not undefined.
    let new = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 3) };
    if new < 0 {
        return Err(PyRuntimeError::new_err(format!(
            "dup({fd}): {}",
            std::io::Error::last_os_error()
        )));
    }
    Ok(new)
}

#[pymethods]
impl PyServer {
    #[new]
    #[pyo3(signature = (name, version, *, title=None, instructions=None, website_url=None, icons=None))]
    fn new(
        name: String,
        version: String,
        title: Option<String>,
        instructions: Option<String>,
        website_url: Option<String>,
        icons: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let icons = icons.filter(|i| !i.is_none()).map(py_to_value).transpose()?;
        let info = ServerInfo {
            name,
            version,
            title,
            instructions,
            website_url,
            icons,
        };
        let backend = PyBackend::new().map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        Ok(PyServer {
            core: Arc::new(Server::new(info, backend)),
            stdio: Mutex::new(None),
            http: Mutex::new(None),
            routes: Mutex::new(Vec::new()),
        })
    }

    /// Replace the identity announced by `initialize` (the low-level server's attributes
    /// can be changed after construction).
    #[pyo3(signature = (name, version, *, title=None, instructions=None, website_url=None, icons=None))]
    fn set_info(
        &self,
        name: String,
        version: String,
        title: Option<String>,
        instructions: Option<String>,
        website_url: Option<String>,
        icons: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let icons = icons.filter(|i| !i.is_none()).map(py_to_value).transpose()?;
        self.core.set_info(ServerInfo {
            name,
            version,
            title,
            instructions,
            website_url,
            icons,
        });
        Ok(())
    }

    fn add_tool(&self, definition: &Bound<'_, PyAny>, handler_fn: Py<PyAny>, is_async: bool) -> PyResult<()> {
        self.core
            .add_tool(py_to_value(definition)?, handler(handler_fn, is_async))
            .map_err(definition_error)
    }

    fn remove_tool(&self, name: &str) -> bool {
        self.core.remove_tool(name)
    }

    fn add_resource(&self, definition: &Bound<'_, PyAny>, handler_fn: Py<PyAny>, is_async: bool) -> PyResult<()> {
        self.core
            .add_resource(py_to_value(definition)?, handler(handler_fn, is_async))
            .map_err(definition_error)
    }

    /// Removes a concrete resource (by URI) or a template (by its URI template).
    fn remove_resource(&self, uri: &str) -> bool {
        self.core.remove_resource(uri)
    }

    fn add_template(&self, definition: &Bound<'_, PyAny>, handler_fn: Py<PyAny>, is_async: bool) -> PyResult<()> {
        self.core
            .add_template(py_to_value(definition)?, handler(handler_fn, is_async))
            .map_err(definition_error)
    }

    fn add_prompt(&self, definition: &Bound<'_, PyAny>, handler_fn: Py<PyAny>, is_async: bool) -> PyResult<()> {
        self.core
            .add_prompt(py_to_value(definition)?, handler(handler_fn, is_async))
            .map_err(definition_error)
    }

    fn remove_prompt(&self, name: &str) -> bool {
        self.core.remove_prompt(name)
    }

    #[pyo3(signature = (handler_fn, is_async=true))]
    fn set_completion(&self, handler_fn: Option<Py<PyAny>>, is_async: bool) {
        self.core.set_completion(handler_fn.map(|h| handler(h, is_async)));
    }

    /// Python code run after the engine handled `method` (one of "logging/setLevel",
    /// "resources/subscribe", "resources/unsubscribe"); its result is the reply.
    #[pyo3(signature = (method, handler_fn, is_async=true))]
    fn set_hook(&self, method: &str, handler_fn: Option<Py<PyAny>>, is_async: bool) -> PyResult<()> {
        self.core
            .set_hook(method, handler_fn.map(|h| handler(h, is_async)))
            .map_err(definition_error)
    }

    /// `canonical(uri) -> str | None`: how `resources/read` spells a requested URI that
    /// normalisation may change, before looking it up (called on the transport's thread).
    fn set_uri_canonicalizer(&self, canonical: Option<Py<PyAny>>) {
        let canonicalizer = canonical.map(|f| -> crate::dispatch::UriCanonicalizer {
            Arc::new(move |uri: &str| {
                Python::attach(|py| {
                    f.call1(py, (uri,))
                        .and_then(|v| v.extract::<Option<String>>(py))
                        .ok()
                        .flatten()
                })
            })
        });
        self.core.set_uri_canonicalizer(canonicalizer);
    }

    /// `notifications/resources/updated` to every session subscribed to `uri`.
    fn notify_resource_updated(&self, uri: &str) {
        self.core.notify_resource_updated(uri);
    }

    /// `notifications/{tools,resources,prompts}/list_changed` to every session.
    fn notify_list_changed(&self, kind: &str) -> PyResult<()> {
        let kind = match kind {
            "tools" => ListKind::Tools,
            "resources" => ListKind::Resources,
            "prompts" => ListKind::Prompts,
            other => return Err(PyValueError::new_err(format!("unknown list {other:?}"))),
        };
        self.core.notify_list_changed(kind);
        Ok(())
    }

    /// Items per `*/list` page (0: everything in one page).
    fn set_page_size(&self, n: usize) {
        self.core.set_page_size(n);
    }

    /// `runner(handler, params, extra, handle)` wraps every sync handler call (None: call
    /// handlers directly).
    fn set_sync_runner(&self, runner: Option<Py<PyAny>>) {
        self.core.backend.set_sync_runner(runner);
    }

    fn set_max_workers(&self, n: usize) {
        self.core.backend.set_max_workers(n);
    }

    /// The descriptor the asyncio loop watches (`loop.add_reader`) for queued work.
    #[getter]
    fn wake_fd(&self) -> i32 {
        self.core.backend.wake_fd()
    }

    /// Everything queued for the loop, as tuples:
    /// `(0, callable, params, extra, handle)` run a handler; `(1, task)` cancel a task;
    /// `(2, callback, ok, value)` a client's answer; `(3,)` the transport finished;
    /// `(4, callback, data)` a message for an in-process client;
    /// `(5, handler, request, respond)` a request for a user HTTP route.
    fn _take_batch<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        let loop_tx = self.core.backend.loop_sender();
        for item in self.core.backend.take_loop_items() {
            let entry = match item {
                LoopItem::Call(call) => {
                    if call.ctx.is_cancelled() {
                        continue;
                    }
                    match call_args(py, &call, &loop_tx) {
                        Ok(args) => {
                            let mut parts = vec![
                                0i32.into_pyobject(py)?.into_any(),
                                call.handler.callable.bind(py).clone(),
                            ];
                            parts.extend(args.iter());
                            PyTuple::new(py, parts)?
                        }
                        Err(e) => {
                            call.ctx.respond_error(&super::errors::rpc_error_from_py(py, &e));
                            continue;
                        }
                    }
                }
                LoopItem::Cancel(task) => PyTuple::new(py, [1i32.into_pyobject(py)?.into_any(), task.into_bound(py)])?,
                LoopItem::Reply(cb, outcome) => {
                    let (ok, value) = reply_args(py, &outcome)?;
                    PyTuple::new(
                        py,
                        [
                            2i32.into_pyobject(py)?.into_any(),
                            cb.into_bound(py),
                            pyo3::types::PyBool::new(py, ok).to_owned().into_any(),
                            value,
                        ],
                    )?
                }
                LoopItem::Finished => PyTuple::new(py, [3i32.into_pyobject(py)?.into_any()])?,
                LoopItem::Http(h, call) => {
                    let request = PyDict::new(py);
                    request.set_item("method", &call.method)?;
                    request.set_item("path", &call.path)?;
                    request.set_item("query", &call.query)?;
                    request.set_item("headers", call.headers.clone())?;
                    request.set_item("body", PyBytes::new(py, &call.body))?;
                    request.set_item("client", call.client.map(|a| (a.ip().to_string(), a.port())))?;
                    let responder = Bound::new(
                        py,
                        HttpResponder {
                            respond: Mutex::new(Some(call.respond)),
                        },
                    )?;
                    PyTuple::new(
                        py,
                        [
                            5i32.into_pyobject(py)?.into_any(),
                            h.callable.bind(py).clone(),
                            request.into_any(),
                            responder.into_any(),
                        ],
                    )?
                }
                LoopItem::Deliver(cb, bytes) => PyTuple::new(
                    py,
                    [
                        4i32.into_pyobject(py)?.into_any(),
                        cb.bind(py).clone(),
                        PyBytes::new(py, &bytes).into_any(),
                    ],
                )?,
            };
            out.append(entry)?;
        }
        Ok(out)
    }

    /// Serve one session on this process's stdin/stdout. The real stdout descriptor moves
    /// to the Rust writer and descriptor 1 becomes a copy of stderr, so nothing else in
    /// the process (a stray `print()`, a C library) can corrupt the protocol stream.
    /// Returns at once; `(3,)` arrives in the batch when the client has gone.
    fn start_stdio(&self) -> PyResult<()> {
        let mut slot = self.stdio.lock();
        if slot.as_ref().is_some_and(|s| !s.is_finished()) {
            return Err(PyRuntimeError::new_err("stdio is already being served"));
        }
        let out_fd = dup(1)?;
        let in_fd = dup(0)?;
        // SAFETY: plain descriptor calls on descriptors this process owns.
        if unsafe { libc::dup2(2, 1) } < 0 {
            return Err(PyRuntimeError::new_err(format!(
                "dup2: {}",
                std::io::Error::last_os_error()
            )));
        }
        // SAFETY: out_fd and in_fd are fresh duplicates owned by nothing else.
        let (output, input) = unsafe { (File::from_raw_fd(out_fd), File::from_raw_fd(in_fd)) };
        let loop_tx = self.core.backend.loop_sender();
        let served = stdio::serve(
            self.core.clone(),
            input,
            output,
            Box::new(move || loop_tx.push(LoopItem::Finished)),
        )
        .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        *slot = Some(served);
        Ok(())
    }

    /// An in-process session: feed it the client's messages as bytes; what the server
    /// sends goes to `callback(bytes)` on the asyncio loop.
    fn open_session(&self, callback: Py<PyAny>) -> MemorySession {
        MemorySession::open(self.core.clone(), callback)
    }

    /// Serve HTTP (Streamable HTTP, legacy SSE, /health) on a background runtime; returns
    /// the bound `(host, port)`. `(3,)` arrives in the batch once it has shut down.
    fn start_http(&self, config: &Bound<'_, PyAny>) -> PyResult<(String, u16)> {
        let mut slot = self.http.lock();
        if slot.as_ref().is_some_and(|s| !s.is_finished()) {
            return Err(PyRuntimeError::new_err("HTTP is already being served"));
        }
        let cfg = http_config(config)?;
        let loop_tx = self.core.backend.loop_sender();
        let routes = self
            .routes
            .lock()
            .iter()
            .map(|(path, methods, h)| http::CustomRoute {
                path: path.clone(),
                methods: methods.clone(),
                handler: h.clone(),
            })
            .collect();
        let served = http::serve(
            self.core.clone(),
            cfg,
            routes,
            Box::new(move || loop_tx.push(LoopItem::Finished)),
        )
        .map_err(|e| PyRuntimeError::new_err(format!("cannot serve HTTP: {e}")))?;
        let addr = (served.addr.ip().to_string(), served.addr.port());
        *slot = Some(served);
        Ok(addr)
    }

    /// A plain HTTP route served next to MCP (taken when HTTP starts): `handler(request,
    /// respond)` runs on the loop; `request` is a dict (method, path, query, headers as a
    /// list of pairs, body bytes, client) and `respond(status, headers, body)` answers.
    fn add_route(&self, path: String, methods: Vec<String>, handler_fn: Py<PyAny>) {
        let methods = methods.into_iter().map(|m| m.to_ascii_uppercase()).collect();
        self.routes.lock().push((path, methods, handler(handler_fn, true)));
    }

    /// Graceful shutdown of the HTTP server: stop accepting, let requests finish, close streams.
    fn stop_http(&self) {
        if let Some(s) = self.http.lock().as_ref() {
            s.stop();
        }
    }

    /// Open HTTP sessions (Streamable HTTP and legacy SSE).
    #[getter]
    fn http_session_count(&self) -> usize {
        self.http.lock().as_ref().map_or(0, |s| s.session_count())
    }

    /// End the stdio session: cancel running requests and fail pending ones.
    fn close(&self) {
        if let Some(s) = self.stdio.lock().as_ref() {
            s.session.close();
        }
    }
}

/// The HTTP settings from the facade's dict (keys as `HttpConfig` fields; absent keys
/// keep their defaults).
fn http_config(d: &Bound<'_, PyAny>) -> PyResult<HttpConfig> {
    use std::time::Duration;
    let mut c = HttpConfig::default();
    setting(d, "host", &mut c.host)?;
    c.security = Security::for_bind(&c.host);
    setting(d, "port", &mut c.port)?;
    setting(d, "streamable_http_path", &mut c.streamable_path)?;
    setting(d, "sse_path", &mut c.sse_path)?;
    setting(d, "message_path", &mut c.message_path)?;
    setting(d, "json_response", &mut c.json_response)?;
    setting(d, "stateless_http", &mut c.stateless)?;
    setting(d, "max_request_body_size", &mut c.max_body)?;
    setting(d, "max_sessions", &mut c.max_sessions)?;
    setting(d, "dns_rebinding_protection", &mut c.security.enabled)?;
    setting(d, "allowed_hosts", &mut c.security.allowed_hosts)?;
    setting(d, "allowed_origins", &mut c.security.allowed_origins)?;
    setting(d, "retry_interval", &mut c.retry_ms)?;
    let mut seconds = None::<f64>;
    setting(d, "session_idle_timeout", &mut seconds)?;
    if let Some(s) = seconds {
        c.session_idle_timeout = Duration::from_secs_f64(s.max(0.0));
    }
    let mut seconds = None::<f64>;
    setting(d, "keepalive", &mut seconds)?;
    if let Some(s) = seconds {
        c.keepalive = Duration::from_secs_f64(s.max(0.001));
    }
    Ok(c)
}

/// Overwrite `slot` with the config's `key` when it has one that is not None.
fn setting<'py, T>(d: &Bound<'py, PyAny>, key: &str, slot: &mut T) -> PyResult<()>
where
    T: pyo3::conversion::FromPyObjectOwned<'py>,
{
    if let Some(v) = d.get_item(key).ok().filter(|v| !v.is_none()) {
        *slot = v.extract().map_err(Into::into)?;
    }
    Ok(())
}

/// Answers one request of a user HTTP route: `respond(status, headers, body)`, once.
#[pyclass(frozen, module = "ferromcp._core")]
pub struct HttpResponder {
    respond: Mutex<Option<crate::dispatch::HttpRespond>>,
}

#[pymethods]
impl HttpResponder {
    fn __call__(&self, status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> PyResult<()> {
        let f = self
            .respond
            .lock()
            .take()
            .ok_or_else(|| PyRuntimeError::new_err("this request was already answered"))?;
        f(crate::dispatch::HttpReply { status, headers, body });
        Ok(())
    }
}
