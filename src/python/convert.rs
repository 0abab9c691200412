//! JSON <-> Python objects without a detour through Python's `json` module.
//!
//! Values -> Python builds dict/list/str/int/float directly. Python -> JSON writes bytes
//! straight from the objects, dispatching on the concrete type; the Python side hands
//! over plain data (dict/list/tuple/str/int/float/bool/None), anything else is a TypeError.
//! Measured choice: one recursive pass over the objects, no intermediate `serde_json::Value`
//! tree for results (the hot path), as orjson and pydantic-core do.

use crate::json_text;
use crate::jsonrpc::RpcError;
use crate::outgoing::Outgoing;
use crate::session::RequestCtx;
use bytes::Bytes;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::Value;

const MAX_DEPTH: usize = 255;

pub fn value_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                // Numbers keep their source text (arbitrary_precision): integers of any
                // size become Python ints, the rest floats.
                let text = n.to_string();
                if text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                    py.get_type::<PyInt>().call1((text,))?
                } else {
                    PyFloat::new(py, text.parse::<f64>().unwrap_or(f64::NAN)).into_any()
                }
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(value_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(PyString::new(py, k), value_to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// Serialise plain Python data as compact JSON.
pub fn py_to_json(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    let mut out = Outgoing::from(Vec::with_capacity(128));
    write_json(obj, &mut out, 0)?;
    Ok(out.into_vec())
}

/// Reply to a request with a handler's result, serialised straight into the reply.
pub fn respond_py(ctx: &RequestCtx, result: &Bound<'_, PyAny>) {
    ctx.respond_with(
        |out| write_json(result, out, 0),
        |e| RpcError::internal(format!("Internal error: result is not JSON: {e}")),
    );
}

pub fn py_to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let bytes = py_to_json(obj)?;
    serde_json::from_slice(&bytes).map_err(|e| PyTypeError::new_err(format!("not JSON: {e}")))
}

/// Strings at least this long that need no escaping are not copied into the message: it
/// refers to the string object's own UTF-8 bytes (see `Outgoing`).
const SPLICE_MIN: usize = 64 * 1024;

/// A Python string's UTF-8 bytes, kept alive by a reference to the string. CPython strings
/// are immutable and their UTF-8 form, once made, lives as long as the object, so the bytes
/// can be read on any thread without the interpreter. (The reference is released the next
/// time the extension attaches, if the last holder is a transport thread.)
struct PyUtf8 {
    _owner: Py<PyString>,
    ptr: *const u8,
    len: usize,
}

// SAFETY: the bytes are immutable and owned by `_owner`, which `Py` lets any thread hold.
unsafe impl Send for PyUtf8 {}

impl AsRef<[u8]> for PyUtf8 {
    fn as_ref(&self) -> &[u8] {
        // SAFETY: `ptr`/`len` came from the string's UTF-8 buffer, alive while `_owner` is.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

fn write_str(s: &Bound<'_, PyString>, out: &mut Outgoing) -> PyResult<()> {
    let text = s.to_str()?;
    if text.len() >= SPLICE_MIN && json_text::is_clean(text) {
        let utf8 = PyUtf8 {
            _owner: s.clone().unbind(),
            ptr: text.as_ptr(),
            len: text.len(),
        };
        out.text_mut().push(b'"');
        out.splice(Bytes::from_owner(utf8));
        out.text_mut().push(b'"');
    } else {
        json_text::write_str(out.text_mut(), text);
    }
    Ok(())
}

fn write_json(obj: &Bound<'_, PyAny>, out: &mut Outgoing, depth: usize) -> PyResult<()> {
    if depth > MAX_DEPTH {
        return Err(PyTypeError::new_err("value nested too deeply to serialise as JSON"));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        write_str(s, out)?;
    } else if obj.is_none() {
        out.text_mut().extend_from_slice(b"null");
    } else if let Ok(b) = obj.cast::<PyBool>() {
        out.text_mut()
            .extend_from_slice(if b.is_true() { b"true" } else { b"false" });
    } else if let Ok(i) = obj.cast::<PyInt>() {
        match i.extract::<i64>() {
            Ok(v) => out.text_mut().extend_from_slice(v.to_string().as_bytes()),
            // Big integers: their decimal text is valid JSON.
            Err(_) => out.text_mut().extend_from_slice(i.str()?.to_str()?.as_bytes()),
        }
    } else if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        if v.is_finite() {
            let mut buf = ryu_like(v);
            out.text_mut().append(&mut buf);
        } else {
            // JSON has no NaN/Infinity; pydantic writes null for them too.
            out.text_mut().extend_from_slice(b"null");
        }
    } else if let Ok(d) = obj.cast::<PyDict>() {
        out.text_mut().push(b'{');
        for (n, (k, v)) in d.iter().enumerate() {
            if n > 0 {
                out.text_mut().push(b',');
            }
            write_key(&k, out.text_mut())?;
            out.text_mut().push(b':');
            write_json(&v, out, depth + 1)?;
        }
        out.text_mut().push(b'}');
    } else if let Ok(l) = obj.cast::<PyList>() {
        out.text_mut().push(b'[');
        for (n, v) in l.iter().enumerate() {
            if n > 0 {
                out.text_mut().push(b',');
            }
            write_json(&v, out, depth + 1)?;
        }
        out.text_mut().push(b']');
    } else if let Ok(t) = obj.cast::<PyTuple>() {
        out.text_mut().push(b'[');
        for (n, v) in t.iter().enumerate() {
            if n > 0 {
                out.text_mut().push(b',');
            }
            write_json(&v, out, depth + 1)?;
        }
        out.text_mut().push(b']');
    } else {
        return Err(PyTypeError::new_err(format!(
            "Object of type {} is not JSON serializable",
            obj.get_type().name()?
        )));
    }
    Ok(())
}

fn write_key(k: &Bound<'_, PyAny>, out: &mut Vec<u8>) -> PyResult<()> {
    if let Ok(s) = k.cast::<PyString>() {
        json_text::write_str(out, s.to_str()?);
        return Ok(());
    }
    // Like json.dumps: scalar keys become their JSON text as a string.
    if k.is_none() || k.cast::<PyBool>().is_ok() || k.cast::<PyInt>().is_ok() || k.cast::<PyFloat>().is_ok() {
        let text = py_to_json(k)?;
        json_text::write_str(out, std::str::from_utf8(&text).expect("JSON is UTF-8"));
        Ok(())
    } else {
        Err(PyTypeError::new_err(format!(
            "keys must be str, int, float, bool or None, not {}",
            k.get_type().name()?
        )))
    }
}

/// A finite float the way Python's `repr` (and JSON encoders built on it) writes it:
/// always with a fractional part or exponent, so `1.0` stays `1.0`.
fn ryu_like(v: f64) -> Vec<u8> {
    let n = serde_json::Number::from_f64(v).expect("finite");
    serde_json::to_vec(&n).expect("numbers serialise")
}
