//! Argument checks. Each message names the argument and its allowed range, word for word as
//! the JS backend's checks in `lib/kernels/args.ts` do, and becomes a `TypeError` or a
//! `RangeError` with Node's error codes.

use napi::{Env, Error, JsValue, Status, Unknown, ValueType};

pub enum ArgError {
    Type(String),
    Range(String),
}

impl ArgError {
    /// Throws the error into `env` and returns the `PendingException` that napi-rs expects.
    pub fn throw(self, env: &Env) -> Error {
        let (message, thrown) = match self {
            ArgError::Type(m) => {
                let r = env.throw_type_error(&m, Some("ERR_INVALID_ARG_TYPE"));
                (m, r)
            }
            ArgError::Range(m) => {
                let r = env.throw_range_error(&m, Some("ERR_OUT_OF_RANGE"));
                (m, r)
            }
        };
        match thrown {
            Ok(()) => Error::new(Status::PendingException, message),
            Err(e) => e,
        }
    }
}

/// The value as a JS number, or a `TypeError` naming `name`.
pub fn number(name: &str, value: &Unknown) -> Result<f64, ArgError> {
    let type_error = |what: &str| ArgError::Type(format!("{name} must be a number; got {what}"));
    match value.get_type() {
        Ok(ValueType::Number) => value.coerce_to_number().and_then(|n| n.get_double()).map_err(|_| type_error("number")),
        Ok(other) => Err(type_error(type_name(other))),
        Err(_) => Err(type_error("an unreadable value")),
    }
}

/// The name JS's `typeof` gives, with `null` told apart as the checks in `lib/` do.
fn type_name(t: ValueType) -> &'static str {
    match t {
        ValueType::Undefined => "undefined",
        ValueType::Null => "null",
        ValueType::Boolean => "boolean",
        ValueType::Number => "number",
        ValueType::String => "string",
        ValueType::Symbol => "symbol",
        ValueType::Object => "object",
        ValueType::Function => "function",
        ValueType::BigInt => "bigint",
        _ => "unknown",
    }
}

/// A whole number in `[min, max]`, given as a JS number.
pub fn integer(name: &str, value: &Unknown, min: f64, max: f64) -> Result<f64, ArgError> {
    let value = number(name, value)?;
    if value.is_nan() || value.fract() != 0.0 || value < min || value > max {
        return Err(ArgError::Range(format!(
            "{name} must be an integer from {} to {}; got {}",
            fmt_number(min),
            fmt_number(max),
            fmt_number(value)
        )));
    }
    Ok(value)
}

/// The value as JavaScript's `String(value)` writes it, so that messages from both backends
/// read the same.
pub fn fmt_number(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if x == 0.0 {
        return "0".into(); // -0 too, as in JS
    }
    // Rust's `{:e}` gives the shortest round-tripping digits, as JS does; only the layout
    // differs (ECMA-262, Number::toString).
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').expect("`{:e}` always has an exponent");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    let n = exp.parse::<i32>().expect("a decimal exponent") + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let sign = if n - 1 < 0 { '-' } else { '+' };
        let tail = if k > 1 { format!(".{}", &digits[1..]) } else { String::new() };
        format!("{}{tail}e{sign}{}", &digits[..1], (n - 1).abs())
    };
    if x < 0.0 { format!("-{body}") } else { body }
}

#[cfg(test)]
mod tests {
    use super::fmt_number;

    #[test]
    fn numbers_read_as_in_javascript() {
        let cases = [
            (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-1.0, "-1"), (0.5, "0.5"), (2.5, "2.5"),
            (1e21, "1e+21"), (1e20, "100000000000000000000"), (123456789.125, "123456789.125"),
            (1e-6, "0.000001"), (1e-7, "1e-7"), (1.5e-7, "1.5e-7"), (9007199254740992.0, "9007199254740992"),
            (f64::NAN, "NaN"), (f64::INFINITY, "Infinity"), (f64::NEG_INFINITY, "-Infinity"),
            (0.1 + 0.2, "0.30000000000000004"), (2147483648.0, "2147483648"), (-1.5e300, "-1.5e+300"),
        ];
        for (x, js) in cases {
            assert_eq!(fmt_number(x), js, "{x:?}");
        }
    }
}
