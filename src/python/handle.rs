//! `RequestHandle`: what a Python handler holds for the request it serves.

use super::backend::{LoopItem, LoopSender};
use super::convert::{py_to_value, respond_py, value_to_py};
use super::errors::rpc_error_from_py;
use crate::jsonrpc::{RequestId, RpcError};
use crate::protocol::logging::Level;
use crate::session::RequestCtx;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::Arc;

#[pyclass(frozen, module = "ferromcp._core")]
pub struct RequestHandle {
    ctx: Arc<RequestCtx>,
    loop_tx: LoopSender,
}

impl RequestHandle {
    pub fn new(ctx: Arc<RequestCtx>, loop_tx: LoopSender) -> Self {
        RequestHandle { ctx, loop_tx }
    }

    /// The request a message related to `related` belongs to: this one when `related` is
    /// None or names it; another request of the same session while it is still running;
    /// None when `related` names no running request (the message then goes to the
    /// session's own channel: the standalone stream over HTTP).
    fn related_request(&self, related: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Arc<RequestCtx>>> {
        let Some(related) = related.filter(|r| !r.is_none()) else {
            return Ok(Some(self.ctx.clone()));
        };
        let wanted = related.str()?.to_string();
        if wanted == self.ctx.id.to_string() {
            return Ok(Some(self.ctx.clone()));
        }
        Ok(self.ctx.session.running(&wanted))
    }
}

fn opt_value_to_py<'py>(py: Python<'py>, v: Option<&serde_json::Value>) -> PyResult<Bound<'py, PyAny>> {
    match v {
        Some(v) => value_to_py(py, v),
        None => Ok(py.None().into_bound(py)),
    }
}

#[pymethods]
impl RequestHandle {
    #[getter]
    fn request_id<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(match &self.ctx.id {
            RequestId::Int(i) => i.into_pyobject(py)?.into_any(),
            RequestId::Str(s) => s.into_pyobject(py)?.into_any(),
        })
    }

    #[getter]
    fn meta<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_value_to_py(py, self.ctx.meta.as_ref())
    }

    #[getter]
    fn progress_token<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_value_to_py(py, self.ctx.progress_token.as_ref())
    }

    #[getter]
    fn session_id(&self) -> Option<String> {
        self.ctx.session.id.clone()
    }

    #[getter]
    fn client_params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        opt_value_to_py(py, self.ctx.session.client_params().as_ref().filter(|v| !v.is_null()))
    }

    #[getter]
    fn protocol_version(&self) -> Option<&'static str> {
        self.ctx.session.version()
    }

    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let Some(h) = &self.ctx.headers else {
            return Ok(py.None().into_bound(py));
        };
        let d = PyDict::new(py);
        for (k, v) in h.iter() {
            d.set_item(k, v)?;
        }
        Ok(d.into_any())
    }

    #[getter]
    fn cancelled(&self) -> bool {
        self.ctx.is_cancelled()
    }

    /// `notifications/message` for this request, or for the request `related` names
    /// (dropped below the client's level).
    #[pyo3(signature = (level, data, logger=None, related=None))]
    fn log(
        &self,
        level: &str,
        data: &Bound<'_, PyAny>,
        logger: Option<&str>,
        related: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let level = Level::parse(level).ok_or_else(|| PyValueError::new_err(format!("unknown log level {level:?}")))?;
        if !self.ctx.session.log_passes(level) {
            return Ok(());
        }
        let data = py_to_value(data)?;
        match self.related_request(related)? {
            Some(ctx) => ctx.log(level, data, logger),
            None => self.ctx.session.log(level, data, logger),
        }
        Ok(())
    }

    #[pyo3(signature = (progress, total=None, message=None))]
    fn progress(&self, progress: f64, total: Option<f64>, message: Option<&str>) {
        self.ctx.progress(progress, total, message);
    }

    /// A notification on this request's stream, or on the stream of the request `related`
    /// names (the session's own channel when that request is not running).
    #[pyo3(signature = (method, params=None, related=None))]
    fn notify(
        &self,
        method: &str,
        params: Option<&Bound<'_, PyAny>>,
        related: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let params = params.filter(|p| !p.is_none()).map(py_to_value).transpose()?;
        match self.related_request(related)? {
            Some(ctx) => ctx.notify(method, params.as_ref()),
            None => self.ctx.session.notify(method, params.as_ref()),
        }
        Ok(())
    }

    /// A server->client request; `callback(ok, value)` runs on the asyncio loop with the
    /// result dict, or `(code, message, data)` on failure. It travels with the running
    /// request `related` names, else with this one.
    #[pyo3(signature = (method, params, callback, related=None))]
    fn request(
        &self,
        method: &str,
        params: Option<&Bound<'_, PyAny>>,
        callback: Py<PyAny>,
        related: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let params = params.filter(|p| !p.is_none()).map(py_to_value).transpose()?;
        let tx = self.loop_tx.clone();
        let via = self.related_request(related)?.unwrap_or_else(|| self.ctx.clone());
        via.request(
            method,
            params.as_ref(),
            Box::new(move |outcome| tx.push(LoopItem::Reply(callback, outcome))),
        );
        Ok(())
    }

    /// Close the client's connection to this request's SSE stream so it reconnects
    /// (with `Last-Event-ID`) and polls; False where the stream cannot be resumed.
    fn close_stream(&self) -> bool {
        self.ctx.close_stream()
    }

    /// The same for the session's standalone GET stream.
    fn close_standalone_stream(&self) -> bool {
        self.ctx.close_standalone_stream()
    }

    /// Reply with a handler's result (used by the asyncio runtime).
    fn respond(&self, result: &Bound<'_, PyAny>) {
        respond_py(&self.ctx, result);
    }

    /// Reply with an error for an exception a handler raised.
    fn fail(&self, py: Python<'_>, exc: &Bound<'_, PyAny>) {
        let err = PyErr::from_value(exc.clone());
        self.ctx.respond_error(&rpc_error_from_py(py, &err));
    }

    /// Register the asyncio task running this request, so `notifications/cancelled`
    /// can cancel it.
    fn _set_task(&self, task: Py<PyAny>) {
        let tx = self.loop_tx.clone();
        self.ctx
            .set_cancel_hook(Box::new(move || tx.push(LoopItem::Cancel(task))));
    }
}

/// Build the Python form of a reply to a server->client request: `(ok, value)`.
pub fn reply_args<'py>(
    py: Python<'py>,
    outcome: &Result<serde_json::Value, RpcError>,
) -> PyResult<(bool, Bound<'py, PyAny>)> {
    Ok(match outcome {
        Ok(v) => (true, value_to_py(py, v)?),
        Err(e) => {
            let data = opt_value_to_py(py, e.data.as_ref())?;
            let t = pyo3::types::PyTuple::new(
                py,
                [
                    e.code.into_pyobject(py)?.into_any(),
                    e.message.clone().into_pyobject(py)?.into_any(),
                    data,
                ],
            )?;
            (false, t.into_any())
        }
    })
}
