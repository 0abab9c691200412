//! ferromcp: a Model Context Protocol server engine.
//!
//! Everything here but `python` compiles and is tested without Python: the JSON-RPC
//! envelope, protocol revisions, the registry, sessions, the router and the transports.
//! The `python` module (feature "python") is the one bridge to CPython.

pub mod dispatch;
pub mod json_text;
pub mod jsonrpc;
pub mod outgoing;
pub mod protocol;
pub mod registry;
pub mod session;
pub mod transport;

#[cfg(feature = "python")]
mod python;

#[cfg(feature = "python")]
#[pyo3::pymodule]
fn _core(m: &pyo3::Bound<'_, pyo3::types::PyModule>) -> pyo3::PyResult<()> {
    python::register(m)
}
