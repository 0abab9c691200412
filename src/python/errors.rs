//! Python exceptions -> JSON-RPC errors.

use super::convert::py_to_value;
use crate::jsonrpc::RpcError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

static MCP_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// `ferromcp.exceptions.McpError` keeps its code, message and data; anything else is an
/// internal error carrying the exception's text.
pub fn rpc_error_from_py(py: Python<'_>, err: &PyErr) -> RpcError {
    let value = err.value(py);
    if let Ok(cls) = MCP_ERROR.import(py, "ferromcp.exceptions", "McpError") {
        if value.is_instance(cls).unwrap_or(false) {
            let code = value.getattr("code").and_then(|c| c.extract::<i64>());
            let message = value.getattr("message").and_then(|m| m.extract::<String>());
            if let (Ok(code), Ok(message)) = (code, message) {
                let data = value
                    .getattr("data")
                    .ok()
                    .filter(|d| !d.is_none())
                    .and_then(|d| py_to_value(&d).ok());
                return RpcError { code, message, data };
            }
        }
    }
    let text = value.str().map(|s| s.to_string()).unwrap_or_default();
    RpcError::internal(if text.is_empty() {
        "Internal error".to_string()
    } else {
        text
    })
}
