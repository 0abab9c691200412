//! The bridge to CPython: the only place that knows about Python objects.

mod backend;
mod convert;
mod errors;
mod handle;
mod memory;
mod server;

use pyo3::prelude::*;

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<server::PyServer>()?;
    m.add_class::<handle::RequestHandle>()?;
    m.add_class::<memory::MemorySession>()?;
    m.add_class::<server::HttpResponder>()?;
    m.add_function(wrap_pyfunction!(to_json, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

/// Compact JSON of plain Python data (dict/list/tuple/str/int/float/bool/None), as bytes.
#[pyfunction]
fn to_json<'py>(py: Python<'py>, obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
    let bytes = convert::py_to_json(obj)?;
    Ok(pyo3::types::PyBytes::new(py, &bytes))
}
