// Numbers as gil-lab prints them, in the terminal and in the HTML report alike.

/** Three significant digits, never in exponent form: 1234 → "1234", 12.345 → "12.3", 0.01234 → "0.0123". */
export function significant(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (value === 0) return '0';
  const decimals = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return value.toFixed(decimals);
}

/** An argument-like number: integers grouped ("5,000,000"), others to three digits, no trailing zeros. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return significant(value)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}

export function speedup(value: number | null): string {
  return value === null ? '–' : `${value.toFixed(2)}×`;
}

/** A speedup and its 95% interval's half-width: "1.97× ±0.03"; a point interval (a baseline's) shows none. */
export function speedupWithin(value: number | null, interval: readonly [number, number] | null): string {
  if (value === null || interval === null || interval[0] === interval[1]) return speedup(value);
  return `${speedup(value)} ±${((interval[1] - interval[0]) / 2).toFixed(2)}`;
}

/** A duration given in milliseconds, in the unit that suits it: "14.2 ns", "9.81 µs", "123 ms", "2.50 s". */
export function duration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 1) return `${significant(ms)} ms`;
  if (ms >= 1e-3) return `${significant(ms * 1e3)} µs`;
  return `${significant(ms * 1e6)} ns`;
}

/** "1 thread", "2 threads", "2 processes". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The cores a machine has, as the OS reports them: "2 cores", "8 logical cores (4 physical)". */
export function coresLabel(machine: { cores: number; physicalCores: number | null }): string {
  if (machine.physicalCores === null) return `${count(machine.cores, 'logical core')} (physical: not reported)`;
  if (machine.physicalCores === machine.cores) return `${count(machine.cores, 'core')} (physical, no SMT)`;
  return `${count(machine.cores, 'logical core')} (${machine.physicalCores} physical)`;
}
