//! JS values to checked Rust values. The checks themselves, and their messages, are
//! `gil_lab_core::args`; this module reads the JS types and throws the errors.

use gil_lab_core::args::{self, ArgError};
use napi::bindgen_prelude::FromNapiValue;
use napi::{Env, Error, JsValue, Result, Status, Unknown, ValueType};

/// Throws `error` into `env` as a `TypeError`/`RangeError` with Node's error codes, and
/// returns the `PendingException` that tells napi-rs it is thrown.
pub fn throw(env: &Env, error: ArgError) -> Error {
    let thrown = match &error {
        ArgError::Type(m) => env.throw_type_error(m, Some("ERR_INVALID_ARG_TYPE")),
        ArgError::Range(m) => env.throw_range_error(m, Some("ERR_OUT_OF_RANGE")),
    };
    match thrown {
        Ok(()) => Error::new(Status::PendingException, "invalid argument"),
        Err(e) => e,
    }
}

/// What JS's `typeof` says of `value`, with `null` told apart.
pub fn type_name(value: &Unknown) -> &'static str {
    match value.get_type() {
        Ok(ValueType::Undefined) => "undefined",
        Ok(ValueType::Null) => "null",
        Ok(ValueType::Boolean) => "boolean",
        Ok(ValueType::Number) => "number",
        Ok(ValueType::String) => "string",
        Ok(ValueType::Symbol) => "symbol",
        Ok(ValueType::Object) => "object",
        Ok(ValueType::Function) => "function",
        Ok(ValueType::BigInt) => "bigint",
        _ => "unknown",
    }
}

/// `value` as a number, or a `TypeError` naming `name`.
pub fn number(env: &Env, name: &str, value: &Unknown) -> Result<f64> {
    if value.get_type()? != ValueType::Number {
        return Err(throw(env, args::wrong_type(name, "a number", type_name(value))));
    }
    // SAFETY: the value is a live JS number of this call's env.
    unsafe { f64::from_napi_value(value.value().env, value.raw()) }
}

/// A number in `[min, max]`, fractions allowed.
pub fn number_in_range(env: &Env, name: &str, value: &Unknown, min: f64, max: f64) -> Result<f64> {
    let n = number(env, name, value)?;
    args::number_in_range(name, n, min, max).map_err(|e| throw(env, e))
}

/// `value` as a string, or a `TypeError` naming `name`.
pub fn string(env: &Env, name: &str, value: &Unknown) -> Result<String> {
    if value.get_type()? != ValueType::String {
        return Err(throw(env, args::wrong_type(name, "a string", type_name(value))));
    }
    // SAFETY: the value is a live JS string of this call's env.
    unsafe { String::from_napi_value(value.value().env, value.raw()) }
}

/// A path: a non-empty string with no NUL character.
pub fn path(env: &Env, name: &str, value: &Unknown) -> Result<String> {
    let path = string(env, name, value)?;
    args::path(name, &path).map_err(|e| throw(env, e))?;
    Ok(path)
}

/// A whole number in `[min, max]`.
pub fn integer(env: &Env, name: &str, value: &Unknown, min: f64, max: f64) -> Result<f64> {
    let n = number(env, name, value)?;
    args::integer(name, n, min, max).map_err(|e| throw(env, e))
}
