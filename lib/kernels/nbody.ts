// n-body, the Computer Language Benchmarks Game program: the twin of
// `crates/core/src/kernels/nbody.rs`. The same floating-point operations in the same order,
// so both backends give the same bits: V8, like Rust, never fuses a multiply and an add
// and never reorders a sum. Keep it that way when editing either file.

import type { Ticker } from '../breaker';
import { integer } from '../args';

/** The largest `steps` accepted, as in the Rust twin: it fits an int32. */
export const NBODY_STEPS_MAX = 2 ** 31 - 1;

/** Steps per tick, as in the Rust twin. */
const STEPS_PER_TICK = 256;

const PI = Math.PI; // 3.141592653589793, the reference's literal
const SOLAR_MASS = 4 * PI * PI;
const DAYS_PER_YEAR = 365.24;
const DT = 0.01;

export interface NbodyEnergies {
  energyBefore: number;
  energyAfter: number;
}

/** The five bodies, one array per field, in the order Sun, Jupiter, Saturn, Uranus, Neptune. */
interface Bodies {
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
  vx: Float64Array;
  vy: Float64Array;
  vz: Float64Array;
  mass: Float64Array;
}

// Jupiter, Saturn, Uranus, Neptune: x, y, z in AU; vx, vy, vz in AU per day (× DAYS_PER_YEAR
// below); mass in solar masses (× SOLAR_MASS). The same literals as in the Rust twin.
const PLANETS = [
  [
    4.8414314424647209, -1.16032004402742839, -1.03622044471123109e-1, 1.66007664274403694e-3, 7.69901118419740425e-3,
    -6.90460016972063023e-5, 9.54791938424326609e-4,
  ],
  [
    8.34336671824457987, 4.12479856412430479, -4.03523417114321381e-1, -2.76742510726862411e-3, 4.99852801234917238e-3,
    2.30417297573763929e-5, 2.85885980666130812e-4,
  ],
  [
    1.2894369562139131e1, -1.51111514016986312e1, -2.23307578892655734e-1, 2.96460137564761618e-3,
    2.3784717395948095e-3, -2.96589568540237556e-5, 4.36624404335156298e-5,
  ],
  [
    1.53796971148509165e1, -2.59193146099879641e1, 1.79258772950371181e-1, 2.68067772490389322e-3,
    1.62824170038242295e-3, -9.5159225451971587e-5, 5.15138902046611451e-5,
  ],
];

function solarSystem(): Bodies {
  const n = PLANETS.length + 1;
  const b: Bodies = {
    x: new Float64Array(n),
    y: new Float64Array(n),
    z: new Float64Array(n),
    vx: new Float64Array(n),
    vy: new Float64Array(n),
    vz: new Float64Array(n),
    mass: new Float64Array(n),
  };
  b.mass[0] = SOLAR_MASS;
  PLANETS.forEach(([x, y, z, vx, vy, vz, mass], p) => {
    const i = p + 1;
    b.x[i] = x;
    b.y[i] = y;
    b.z[i] = z;
    b.vx[i] = vx * DAYS_PER_YEAR;
    b.vy[i] = vy * DAYS_PER_YEAR;
    b.vz[i] = vz * DAYS_PER_YEAR;
    b.mass[i] = mass * SOLAR_MASS;
  });
  return b;
}

/** Gives the Sun the momentum that makes the system's total zero. */
function offsetMomentum({ vx, vy, vz, mass }: Bodies): void {
  let px = 0;
  let py = 0;
  let pz = 0;
  for (let i = 0; i < mass.length; i++) {
    px += vx[i] * mass[i];
    py += vy[i] * mass[i];
    pz += vz[i] * mass[i];
  }
  vx[0] = -px / SOLAR_MASS;
  vy[0] = -py / SOLAR_MASS;
  vz[0] = -pz / SOLAR_MASS;
}

function energy({ x, y, z, vx, vy, vz, mass }: Bodies): number {
  let e = 0;
  const n = mass.length;
  for (let i = 0; i < n; i++) {
    e += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
    for (let j = i + 1; j < n; j++) {
      const dx = x[i] - x[j];
      const dy = y[i] - y[j];
      const dz = z[i] - z[j];
      const distance = Math.sqrt(dx * dx + dy * dy + dz * dz);
      e -= (mass[i] * mass[j]) / distance;
    }
  }
  return e;
}

function advance({ x, y, z, vx, vy, vz, mass }: Bodies): void {
  const n = mass.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = x[i] - x[j];
      const dy = y[i] - y[j];
      const dz = z[i] - z[j];
      const distance = Math.sqrt(dx * dx + dy * dy + dz * dz);
      const mag = DT / (distance * distance * distance);
      vx[i] -= dx * mass[j] * mag;
      vy[i] -= dy * mass[j] * mag;
      vz[i] -= dz * mass[j] * mag;
      vx[j] += dx * mass[i] * mag;
      vy[j] += dy * mass[i] * mag;
      vz[j] += dz * mass[i] * mag;
    }
  }
  for (let i = 0; i < n; i++) {
    x[i] += DT * vx[i];
    y[i] += DT * vy[i];
    z[i] += DT * vz[i];
  }
}

export function checkNbody(steps: unknown): [number] {
  return [integer('steps', steps, 0, NBODY_STEPS_MAX)];
}

/** Runs the simulation for `steps` steps and returns the energy before and after. */
export function nbody(steps: number, ticker: Ticker): NbodyEnergies {
  const bodies = solarSystem();
  offsetMomentum(bodies);
  const energyBefore = energy(bodies);
  for (let left = steps; left > 0;) {
    const chunk = Math.min(left, STEPS_PER_TICK);
    for (let s = 0; s < chunk; s++) advance(bodies);
    left -= chunk;
    ticker.tick();
  }
  return { energyBefore, energyAfter: energy(bodies) };
}
