//! JS values to checked Rust values. The checks themselves, and their messages, are
//! `gil_lab_core::args`; this module reads the JS types and throws the errors.

use std::borrow::Cow;
use std::marker::PhantomData;

use gil_lab_core::args::{self, ArgError};
use napi::bindgen_prelude::{FromNapiValue, JsObjectValue, Object};
use napi::{check_status, sys, Env, Error, JsValue, Result, Status, Unknown, ValueType};

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

/// What JS's `typeof` says of `value`, with `null` and arrays told apart (as `typeName` in
/// `lib/args.ts`).
pub fn type_name(value: &Unknown) -> &'static str {
    if value.is_array().unwrap_or(false) {
        return "array";
    }
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

/// What `value` is, for the `got` of a TypeError: a typed array's class (`Float64Array`),
/// `DataView`, or else what `typeof` says.
pub fn describe(env: &Env, value: &Unknown) -> Result<&'static str> {
    let (raw_env, raw) = (env.raw(), value.raw());
    let mut is_typed_array = false;
    // SAFETY (all the calls of this module): `raw` is a live value of this call's env.
    check_status!(unsafe { sys::napi_is_typedarray(raw_env, raw, &mut is_typed_array) })?;
    if is_typed_array {
        let info = typed_array_info(env, value)?;
        return Ok(typed_array_class(info.kind));
    }
    let mut is_data_view = false;
    check_status!(unsafe { sys::napi_is_dataview(raw_env, raw, &mut is_data_view) })?;
    Ok(if is_data_view { "DataView" } else { type_name(value) })
}

fn typed_array_class(kind: sys::napi_typedarray_type) -> &'static str {
    match kind {
        sys::TypedarrayType::int8_array => "Int8Array",
        sys::TypedarrayType::uint8_array => "Uint8Array",
        sys::TypedarrayType::uint8_clamped_array => "Uint8ClampedArray",
        sys::TypedarrayType::int16_array => "Int16Array",
        sys::TypedarrayType::uint16_array => "Uint16Array",
        sys::TypedarrayType::int32_array => "Int32Array",
        sys::TypedarrayType::uint32_array => "Uint32Array",
        sys::TypedarrayType::float32_array => "Float32Array",
        sys::TypedarrayType::float64_array => "Float64Array",
        sys::TypedarrayType::bigint64_array => "BigInt64Array",
        sys::TypedarrayType::biguint64_array => "BigUint64Array",
        11 => "Float16Array",
        _ => "TypedArray",
    }
}

struct TypedArrayInfo {
    kind: sys::napi_typedarray_type,
    length: usize,
    data: *const u8,
    buffer: sys::napi_value,
}

fn typed_array_info(env: &Env, value: &Unknown) -> Result<TypedArrayInfo> {
    let mut kind = 0;
    let mut length = 0;
    let mut data = std::ptr::null_mut();
    let mut buffer = std::ptr::null_mut();
    let mut byte_offset = 0;
    check_status!(unsafe {
        sys::napi_get_typedarray_info(
            env.raw(),
            value.raw(),
            &mut kind,
            &mut length,
            &mut data,
            &mut buffer,
            &mut byte_offset,
        )
    })?;
    // `data` already points at the view's first element.
    Ok(TypedArrayInfo { kind, length, data: data as *const u8, buffer })
}

/// An element type of the typed arrays that kernels take.
pub trait Element: Copy {
    const KIND: sys::napi_typedarray_type;
    /// The JS class, as messages name it.
    const CLASS: &'static str;
}

impl Element for u8 {
    const KIND: sys::napi_typedarray_type = sys::TypedarrayType::uint8_array;
    const CLASS: &'static str = "Uint8Array";
}

impl Element for f64 {
    const KIND: sys::napi_typedarray_type = sys::TypedarrayType::float64_array;
    const CLASS: &'static str = "Float64Array";
}

/// A typed-array argument, read in place: its memory is valid while the call that got it
/// runs, and no JS runs meanwhile unless the call lets it.
pub struct TypedArrayArg<'call, T> {
    data: *const u8,
    length: usize,
    /// In a SharedArrayBuffer, where other threads may write while we read.
    shared: bool,
    _call: PhantomData<&'call [T]>,
}

impl<T: Element> TypedArrayArg<'_, T> {
    pub fn len(&self) -> usize {
        self.length
    }

    /// A copy that Rust owns: what an async call queues, so that JS may change or detach its
    /// array while the task waits and runs.
    pub fn to_vec(&self) -> Vec<T> {
        let mut copy = Vec::<T>::with_capacity(self.length);
        if self.length > 0 {
            // SAFETY: `data` holds `length` elements (read bytewise, whatever its alignment),
            // and `copy` has room for them.
            unsafe {
                std::ptr::copy_nonoverlapping(self.data, copy.as_mut_ptr().cast::<u8>(), self.length * size_of::<T>());
                copy.set_len(self.length);
            }
        }
        copy
    }

    /// The elements for a sync call: borrowed in place, where only this thread can write
    /// them; copied first when they live in a SharedArrayBuffer, which other threads may write
    /// meanwhile (or, which no engine does, at a misaligned address).
    pub fn for_sync(&self) -> Cow<'_, [T]> {
        if self.length == 0 {
            return Cow::Borrowed(&[]);
        }
        if self.shared || self.data.align_offset(align_of::<T>()) != 0 {
            return Cow::Owned(self.to_vec());
        }
        // SAFETY: aligned, `length` elements, in an ArrayBuffer that only this thread touches,
        // and it runs no JS while the borrow lives.
        Cow::Borrowed(unsafe { std::slice::from_raw_parts(self.data.cast::<T>(), self.length) })
    }
}

/// `value` as a typed array of `T`, or a TypeError naming `name`: not a typed array, one of
/// another kind, or one whose buffer was detached (transferred). A Buffer is a Uint8Array.
pub fn typed_array<'call, T: Element>(
    env: &Env,
    name: &str,
    value: &Unknown<'call>,
) -> Result<TypedArrayArg<'call, T>> {
    // Made only for a message: a call with a good array allocates nothing here.
    let expected = || format!("a {}", T::CLASS);
    let mut is_typed_array = false;
    check_status!(unsafe { sys::napi_is_typedarray(env.raw(), value.raw(), &mut is_typed_array) })?;
    if !is_typed_array {
        return Err(throw(env, args::wrong_type(name, &expected(), describe(env, value)?)));
    }
    let info = typed_array_info(env, value)?;
    if info.kind != T::KIND {
        return Err(throw(env, args::wrong_type(name, &expected(), typed_array_class(info.kind))));
    }
    let mut detached = false;
    check_status!(unsafe { sys::napi_is_detached_arraybuffer(env.raw(), info.buffer, &mut detached) })?;
    if detached {
        return Err(throw(env, args::detached(name, T::CLASS)));
    }
    // `napi_is_arraybuffer` is false for a SharedArrayBuffer.
    let mut unshared = false;
    check_status!(unsafe { sys::napi_is_arraybuffer(env.raw(), info.buffer, &mut unshared) })?;
    Ok(TypedArrayArg { data: info.data, length: info.length, shared: !unshared, _call: PhantomData })
}

/// `value` as an object whose fields a kernel reads, or a TypeError naming `name`.
pub fn object<'call>(env: &Env, name: &str, value: &Unknown<'call>) -> Result<Object<'call>> {
    if value.get_type()? != ValueType::Object {
        return Err(throw(env, args::wrong_type(name, "an object", type_name(value))));
    }
    // SAFETY: an object of this call's env.
    unsafe { value.cast() }
}

/// `object.field` (any JS value; a getter runs), for the checks above.
pub fn field<'call>(object: &Object<'call>, field: &str) -> Result<Unknown<'call>> {
    object.get_named_property_unchecked(field)
}
