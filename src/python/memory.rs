//! In-process sessions: a client in the same interpreter (a test's `ClientSession` over
//! memory streams) exchanges JSON-RPC messages with the engine without any transport.
//! Incoming messages are fed as bytes; outgoing ones are delivered to a Python callback
//! on the asyncio loop, in order.

use super::backend::{LoopItem, LoopSender, PyBackend};
use crate::dispatch::Server;
use crate::jsonrpc;
use crate::outgoing::Outgoing;
use crate::session::{Session, Sink};
use pyo3::prelude::*;
use std::sync::Arc;

pub struct CallbackSink {
    pub callback: Arc<Py<PyAny>>,
    pub loop_tx: LoopSender,
}

impl Sink for CallbackSink {
    fn send(&self, message: Outgoing) {
        self.loop_tx
            .push(LoopItem::Deliver(self.callback.clone(), message.into_vec()));
    }
}

#[pyclass(frozen, module = "ferromcp._core")]
pub struct MemorySession {
    server: Arc<Server<PyBackend>>,
    session: Arc<Session>,
}

impl MemorySession {
    pub fn open(server: Arc<Server<PyBackend>>, callback: Py<PyAny>) -> MemorySession {
        let sink = CallbackSink {
            callback: Arc::new(callback),
            loop_tx: server.backend.loop_sender(),
        };
        let session = server.open_session(None, Arc::new(sink));
        MemorySession { server, session }
    }
}

#[pymethods]
impl MemorySession {
    /// Route one message (a JSON-RPC object or batch, as bytes) from the client.
    fn feed(&self, py: Python<'_>, data: &[u8]) {
        py.detach(|| self.server.handle(&self.session, jsonrpc::parse(data)));
    }

    /// End the session: running requests are cancelled, pending ones fail.
    fn close(&self) {
        self.session.close();
    }

    #[getter]
    fn closed(&self) -> bool {
        self.session.is_closed()
    }
}
