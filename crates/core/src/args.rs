//! Argument checks on JS numbers. Each message names the argument and its allowed range,
//! word for word as the JS backend's checks in `lib/kernels/args.ts` write it, numbers
//! included, so that both backends fail alike.

/// A bad argument: the kind of JS error it becomes, and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgError {
    /// Becomes a `TypeError` (code `ERR_INVALID_ARG_TYPE`).
    Type(String),
    /// Becomes a `RangeError` (code `ERR_OUT_OF_RANGE`).
    Range(String),
}

/// The error for an argument of the wrong JS type; `got` is what `typeof` says (or `null`).
pub fn wrong_type(name: &str, expected: &str, got: &str) -> ArgError {
    ArgError::Type(format!("{name} must be {expected}; got {got}"))
}

/// A whole number in `[min, max]`.
pub fn integer(name: &str, value: f64, min: f64, max: f64) -> Result<f64, ArgError> {
    if value.is_nan() || value.fract() != 0.0 || value < min || value > max {
        return Err(ArgError::Range(format!(
            "{name} must be an integer from {} to {}; got {}",
            js_number(min),
            js_number(max),
            js_number(value)
        )));
    }
    Ok(value)
}

/// The error for a typed array whose buffer was detached (transferred): `kind` is what it
/// must be, `Uint8Array` or `Float64Array`. The check of its kind comes first.
pub fn detached(name: &str, kind: &str) -> ArgError {
    ArgError::Type(format!("{name} must be a {kind}; got a detached {kind}"))
}

/// A typed array with the wrong number of elements; `rule` says where `expected` comes
/// from (`n * n`).
pub fn length(name: &str, rule: &str, expected: f64, got: f64) -> Result<(), ArgError> {
    if got == expected {
        return Ok(());
    }
    Err(ArgError::Range(format!("{name} must have length {rule} = {}; got {}", js_number(expected), js_number(got))))
}

/// A size computed from other arguments (an image's `width * height`) that must stay under a
/// limit: past it the work would exhaust memory.
pub fn at_most(name: &str, value: f64, max: f64) -> Result<f64, ArgError> {
    if value > max {
        return Err(ArgError::Range(format!("{name} must be at most {}; got {}", js_number(max), js_number(value))));
    }
    Ok(value)
}

/// A number in `[min, max]`, fractions allowed (NaN is not in any range).
pub fn number_in_range(name: &str, value: f64, min: f64, max: f64) -> Result<f64, ArgError> {
    if !(value >= min && value <= max) {
        return Err(ArgError::Range(format!(
            "{name} must be a number from {} to {}; got {}",
            js_number(min),
            js_number(max),
            js_number(value)
        )));
    }
    Ok(value)
}

/// A path the OS can take: not empty, and with no NUL character (which would end it early).
pub fn path(name: &str, value: &str) -> Result<(), ArgError> {
    let got = if value.is_empty() {
        "an empty string"
    } else if value.contains('\0') {
        "a string with a NUL character"
    } else {
        return Ok(());
    };
    Err(ArgError::Range(format!("{name} must be a non-empty string without NUL characters; got {got}")))
}

/// The number as JavaScript's `String(x)` writes it.
pub fn js_number(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if x == 0.0 {
        return "0".into(); // -0 too, as in JS
    }
    // Rust's `{:e}` gives as few digits as round-trip, as JS does; but where two strings of
    // that many digits round-trip, JS takes the one closest to x, and the even one of a tie
    // (ECMA-262, Number::toString), which `{:e}` need not: `{:.*e}` with that precision
    // rounds x exactly, ties to even. Only the layout differs then.
    let shortest = format!("{:e}", x.abs());
    let precision = shortest.split_once('e').map_or(0, |(m, _)| m.chars().filter(char::is_ascii_digit).count() - 1);
    let sci = format!("{:.*e}", precision, x.abs());
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
    if x < 0.0 {
        format!("-{body}")
    } else {
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_in_javascript() {
        let cases = [
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (-1.0, "-1"),
            (0.5, "0.5"),
            (2.5, "2.5"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789.125, "123456789.125"),
            (1e-6, "0.000001"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (9007199254740992.0, "9007199254740992"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (0.1 + 0.2, "0.30000000000000004"),
            (2147483648.0, "2147483648"),
            (-1.5e300, "-1.5e+300"),
            // x = 248648732350343.125 exactly: .12 and .13 both round-trip, and tie; JS takes the even one.
            (248648732350343.12, "248648732350343.12"),
        ];
        for (x, js) in cases {
            assert_eq!(js_number(x), js, "{x:?}");
        }
    }

    #[test]
    fn integer_bounds() {
        assert_eq!(integer("n", 3.0, 0.0, 10.0), Ok(3.0));
        assert_eq!(integer("n", 10.0, 0.0, 10.0), Ok(10.0));
        let msg = |v: f64| match integer("n", v, 0.0, 10.0) {
            Err(ArgError::Range(m)) => m,
            other => panic!("{other:?}"),
        };
        assert_eq!(msg(11.0), "n must be an integer from 0 to 10; got 11");
        assert_eq!(msg(-1.0), "n must be an integer from 0 to 10; got -1");
        assert_eq!(msg(0.5), "n must be an integer from 0 to 10; got 0.5");
        assert_eq!(msg(f64::NAN), "n must be an integer from 0 to 10; got NaN");
        assert_eq!(msg(f64::INFINITY), "n must be an integer from 0 to 10; got Infinity");
    }

    #[test]
    fn typed_array_messages() {
        assert_eq!(
            detached("data", "Uint8Array"),
            ArgError::Type("data must be a Uint8Array; got a detached Uint8Array".into())
        );
        assert_eq!(length("a", "n * n", 9.0, 9.0), Ok(()));
        assert_eq!(length("a", "n * n", 9.0, 8.0), Err(ArgError::Range("a must have length n * n = 9; got 8".into())));
        assert_eq!(at_most("w * h", 10.0, 10.0), Ok(10.0));
        assert_eq!(
            at_most("w * h", 1e10, 67108864.0),
            Err(ArgError::Range("w * h must be at most 67108864; got 10000000000".into()))
        );
    }

    #[test]
    fn number_bounds_take_fractions_but_not_nan() {
        assert_eq!(number_in_range("ms", 0.25, 0.0, 10.0), Ok(0.25));
        assert_eq!(number_in_range("ms", 10.0, 0.0, 10.0), Ok(10.0));
        for (v, js) in [(-0.5, "-0.5"), (f64::NAN, "NaN"), (f64::INFINITY, "Infinity"), (10.5, "10.5")] {
            let expected = format!("ms must be a number from 0 to 10; got {js}");
            assert_eq!(number_in_range("ms", v, 0.0, 10.0), Err(ArgError::Range(expected)));
        }
    }

    #[test]
    fn paths_are_non_empty_and_nul_free() {
        assert_eq!(path("path", "/etc/hosts"), Ok(()));
        let range =
            |m: &str| Err(ArgError::Range(format!("path must be a non-empty string without NUL characters; got {m}")));
        assert_eq!(path("path", ""), range("an empty string"));
        assert_eq!(path("path", "a\0b"), range("a string with a NUL character"));
    }
}
