//! Running Python handlers: sync ones on a pool of worker threads, async ones as tasks
//! on the server's asyncio loop.
//!
//! Neither path needs the interpreter on the transport threads. Sync calls go through a
//! channel to workers that stay attached to the interpreter and detach only while they
//! wait. Loop-bound work (async calls, task cancellation, answers to server->client
//! requests, shutdown) is queued and announced through a pipe the loop watches
//! (`loop.add_reader`), one byte per batch: the loop drains the whole queue per wake.

use super::convert::{respond_py, value_to_py};
use super::errors::rpc_error_from_py;
use super::handle::RequestHandle;
use crate::dispatch::{Backend, Call, Extra, HttpCall};
use crate::jsonrpc::RpcError;
use crossbeam_channel::{unbounded, Receiver, Sender};
use parking_lot::Mutex;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use serde_json::Value;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A registered Python callable and how it runs.
pub struct PyHandler {
    pub callable: Py<PyAny>,
    pub is_async: bool,
}

pub type Handler = Arc<PyHandler>;

/// Work for the asyncio loop thread.
pub enum LoopItem {
    Call(Call<Handler>),
    /// Cancel an asyncio task (a `notifications/cancelled` for an async handler).
    Cancel(Py<PyAny>),
    /// The client's answer to a server->client request: `callback(ok, value)`.
    Reply(Py<PyAny>, Result<Value, RpcError>),
    /// The transport ended; the runtime resolves its `done` future.
    Finished,
    /// A message for an in-process client: `callback(bytes)`.
    Deliver(Arc<Py<PyAny>>, Vec<u8>),
    /// A request for a user HTTP route: the route's callable and the request.
    Http(Handler, HttpCall),
}

struct LoopQueue {
    items: Mutex<Vec<LoopItem>>,
    wake_read: OwnedFd,
    wake_write: OwnedFd,
}

impl LoopQueue {
    fn new() -> std::io::Result<LoopQueue> {
        let mut fds = [0i32; 2];
        // SAFETY: pipe2 fills two fresh descriptors we then own.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_NONBLOCK | libc::O_CLOEXEC) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: both descriptors were just created and are owned by nothing else.
        let (r, w) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        Ok(LoopQueue {
            items: Mutex::new(Vec::new()),
            wake_read: r,
            wake_write: w,
        })
    }

    fn push(&self, item: LoopItem) {
        let was_empty = {
            let mut q = self.items.lock();
            q.push(item);
            q.len() == 1
        };
        if was_empty {
            // A full pipe means a wake is already pending: nothing lost.
            // SAFETY: writing one byte from a valid buffer to our own descriptor.
            unsafe { libc::write(self.wake_write.as_raw_fd(), b"x".as_ptr().cast(), 1) };
        }
    }

    fn take(&self) -> Vec<LoopItem> {
        let mut buf = [0u8; 256];
        // Drain the wake bytes first, so a push after the swap below wakes us again.
        // SAFETY: reading into a local buffer from our own non-blocking descriptor.
        while unsafe { libc::read(self.wake_read.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) } > 0 {}
        std::mem::take(&mut *self.items.lock())
    }
}

pub struct PyBackend {
    sync_tx: Sender<Call<Handler>>,
    sync_rx: Receiver<Call<Handler>>,
    workers: AtomicUsize,
    idle: Arc<AtomicUsize>,
    max_workers: AtomicUsize,
    loop_queue: Arc<LoopQueue>,
    /// `runner(handler, params, extra, handle)`: runs a sync handler in a copy of the
    /// serving context, so ContextVars set at start-up or in the lifespan are visible on
    /// worker threads as they are in async handlers.
    sync_runner: Arc<parking_lot::RwLock<Option<Py<PyAny>>>>,
}

impl PyBackend {
    pub fn new() -> std::io::Result<PyBackend> {
        let (sync_tx, sync_rx) = unbounded();
        Ok(PyBackend {
            sync_tx,
            sync_rx,
            workers: AtomicUsize::new(0),
            idle: Arc::new(AtomicUsize::new(0)),
            max_workers: AtomicUsize::new(32),
            loop_queue: Arc::new(LoopQueue::new()?),
            sync_runner: Arc::new(parking_lot::RwLock::new(None)),
        })
    }

    pub fn set_max_workers(&self, n: usize) {
        self.max_workers.store(n.max(1), Ordering::Relaxed);
    }

    pub fn set_sync_runner(&self, runner: Option<Py<PyAny>>) {
        *self.sync_runner.write() = runner;
    }

    pub fn wake_fd(&self) -> i32 {
        self.loop_queue.wake_read.as_raw_fd()
    }

    pub fn loop_sender(&self) -> LoopSender {
        LoopSender(self.loop_queue.clone())
    }

    pub fn take_loop_items(&self) -> Vec<LoopItem> {
        self.loop_queue.take()
    }

    fn ensure_worker(&self) {
        if self.idle.load(Ordering::Acquire) > 0 {
            return;
        }
        let n = self.workers.load(Ordering::Acquire);
        if n >= self.max_workers.load(Ordering::Relaxed) {
            return;
        }
        if self
            .workers
            .compare_exchange(n, n + 1, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return;
        }
        let rx = self.sync_rx.clone();
        let idle = self.idle.clone();
        let loop_tx = self.loop_sender();
        let runner = self.sync_runner.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("ferromcp-worker-{n}"))
            .spawn(move || worker_main(rx, idle, loop_tx, runner));
        if spawned.is_err() {
            self.workers.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

/// A cheap handle to the loop queue for code that outlives a borrow of the backend.
#[derive(Clone)]
pub struct LoopSender(Arc<LoopQueue>);

impl LoopSender {
    pub fn push(&self, item: LoopItem) {
        self.0.push(item);
    }
}

impl Backend for PyBackend {
    type Handler = Handler;

    fn http_route(&self, handler: Handler, call: HttpCall) {
        self.loop_queue.push(LoopItem::Http(handler, call));
    }

    fn invoke(&self, call: Call<Handler>) {
        if call.handler.is_async {
            self.loop_queue.push(LoopItem::Call(call));
        } else {
            // Spawn before sending so a burst finds a worker waiting.
            self.ensure_worker();
            let _ = self.sync_tx.send(call);
        }
    }
}

fn worker_main(
    rx: Receiver<Call<Handler>>,
    idle: Arc<AtomicUsize>,
    loop_tx: LoopSender,
    runner: Arc<parking_lot::RwLock<Option<Py<PyAny>>>>,
) {
    Python::attach(|py| loop {
        idle.fetch_add(1, Ordering::AcqRel);
        let next = py.detach(|| rx.recv());
        idle.fetch_sub(1, Ordering::AcqRel);
        let Ok(call) = next else { return };
        if call.ctx.is_cancelled() {
            continue;
        }
        run_guarded(py, &call, |py| {
            let args = call_args(py, &call, &loop_tx)?;
            let handler = call.handler.callable.bind(py);
            // Take the runner out of the lock before calling it: the call may run for
            // long with the GIL released, and a writer (set_sync_runner, on the loop's
            // thread, holding the GIL) must not wait for it.
            let run = runner.read().as_ref().map(|r| r.clone_ref(py));
            let result = match run {
                Some(run) => {
                    let mut full = vec![handler.clone()];
                    full.extend(args.iter());
                    run.bind(py).call1(PyTuple::new(py, full)?)?
                }
                None => handler.call1(args)?,
            };
            respond_py(&call.ctx, &result);
            Ok(())
        });
    })
}

/// Run `f`; a Python exception or a Rust panic becomes the request's error reply, never
/// a crash.
pub fn run_guarded(py: Python<'_>, call: &Call<Handler>, f: impl FnOnce(Python<'_>) -> PyResult<()>) {
    match std::panic::catch_unwind(AssertUnwindSafe(|| f(py))) {
        Ok(Ok(())) => {}
        Ok(Err(err)) => call.ctx.respond_error(&rpc_error_from_py(py, &err)),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            call.ctx
                .respond_error(&RpcError::internal(format!("Internal error: {what}")));
        }
    }
}

/// `(params, extra, handle)` for the handler.
pub fn call_args<'py>(py: Python<'py>, call: &Call<Handler>, loop_tx: &LoopSender) -> PyResult<Bound<'py, PyTuple>> {
    let params = value_to_py(py, &call.params)?;
    let extra = match &call.extra {
        Extra::ArgumentsValid(v) => pyo3::types::PyBool::new(py, *v).to_owned().into_any(),
        Extra::TemplateVars(vars) => {
            let d = PyDict::new(py);
            for (k, v) in vars {
                d.set_item(k, v)?;
            }
            d.into_any()
        }
        Extra::None => py.None().into_bound(py),
    };
    let handle = Bound::new(py, RequestHandle::new(call.ctx.clone(), loop_tx.clone()))?;
    PyTuple::new(py, [params, extra, handle.into_any()])
}
