// The one Node.js global the lock reads: `process.hrtime.bigint()`, its clock in nanoseconds.
// Here it is the page's clock on a time origin every worker shares (timeOrigin + now), so that
// the times of all workers line up in one trace.

const MS_TO_NS = 1_000_000n;

function nowNs(): bigint {
  const origin = performance.timeOrigin;
  const whole = Math.floor(origin);
  return BigInt(whole) * MS_TO_NS + BigInt(Math.round((origin - whole + performance.now()) * 1e6));
}

export const process = { hrtime: { bigint: nowNs } };
