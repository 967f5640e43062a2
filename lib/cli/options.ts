// Parsers for the CLI's flag values. Each turns the text of one flag into a value or throws
// commander's InvalidArgumentError, which commander prints as one line naming the flag, and
// the command exits with status 1. These check the form of a value (a number, a list of
// known names); compare() checks ranges that depend on the workload, before any work.

import { InvalidArgumentError } from 'commander';

function items(text: string): string[] {
  const list = text.split(',').map((item) => item.trim());
  if (list.some((item) => item === ''))
    throw new InvalidArgumentError('expected a comma-separated list with no empty items');
  return list;
}

/** A number written as `2000000`, `2_000_000` or `2e6`. */
function toNumber(text: string): number {
  const value = /^[+-]?[\d_.]+(e[+-]?\d+)?$/i.test(text) ? Number(text.replaceAll('_', '')) : NaN;
  if (!Number.isFinite(value)) throw new InvalidArgumentError(`"${text}" is not a number`);
  return value;
}

/** A parser of a comma-separated list of names, each one of `allowed`; a name given twice counts once. */
export function namesParser<T extends string>(allowed: readonly T[]): (text: string) => T[] {
  return (text) => {
    const list = items(text);
    for (const item of list) {
      if (!allowed.includes(item as T)) {
        throw new InvalidArgumentError(`"${item}" is not one of ${allowed.join(', ')}`);
      }
    }
    return [...new Set(list)] as T[];
  };
}

export function integerAtLeast(min: number): (text: string) => number {
  return (text) => {
    const value = toNumber(text);
    if (!Number.isSafeInteger(value) || value < min) {
      throw new InvalidArgumentError(`expected an integer of at least ${min}; got ${text}`);
    }
    return value;
  };
}

export function integersAtLeast(min: number): (text: string) => number[] {
  const one = integerAtLeast(min);
  return (text) => [...new Set(items(text).map(one))];
}

export function nonNegativeNumber(text: string): number {
  const value = toNumber(text);
  if (value < 0) throw new InvalidArgumentError(`expected a number of at least 0; got ${text}`);
  return value;
}

export function positiveNumber(text: string): number {
  const value = toNumber(text);
  if (value <= 0) throw new InvalidArgumentError(`expected a number greater than 0; got ${text}`);
  return value;
}

const SECONDS_PER_UNIT: Record<string, number> = { s: 1, ms: 1e-3, us: 1e-6, µs: 1e-6 };

/** Durations in seconds, written `0.005`, `5ms`, `100us` or `100µs`; each greater than 0. */
export function durations(text: string): number[] {
  return [
    ...new Set(
      items(text).map((item) => {
        const [, number, unit = 's'] = /^(.*?)(s|ms|us|µs)?$/.exec(item)!;
        const seconds = positiveNumber(number) * SECONDS_PER_UNIT[unit];
        return Number(seconds.toPrecision(12)); // 5 * 1e-3 is 0.005, not 0.005000000000000001
      }),
    ),
  ];
}
