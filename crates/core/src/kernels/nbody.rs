//! n-body, the Computer Language Benchmarks Game program: the Sun and the four gas giants
//! under Newtonian gravity, advanced `steps` times by a symplectic Euler step of 0.01 days.
//!
//! The floating-point operations are those of the Benchmarks Game's plain C program, in its
//! order, and `lib/kernels/nbody.ts` does the same ones in the same order. Rust neither fuses
//! a multiply and an add into one rounding nor reorders sums, and neither does V8, so the
//! two backends give the same bits. Keep it that way: no `mul_add`, no reassociation.

use crate::{Interrupted, Ticker};

/// The largest `steps` accepted, as for every count of iterations: it fits an int32.
pub const NBODY_STEPS_MAX: u32 = i32::MAX as u32;

/// Steps per tick: ten pair interactions each, some 35 ns a step here and 85 ns in the JS
/// twin, so a tick of about 9 and 22 µs.
const STEPS_PER_TICK: u32 = 256;

const PI: f64 = std::f64::consts::PI; // 3.141592653589793, the reference's literal
const SOLAR_MASS: f64 = 4.0 * PI * PI;
const DAYS_PER_YEAR: f64 = 365.24;
const DT: f64 = 0.01;

/// The system's total energy before and after the run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Energies {
    pub before: f64,
    pub after: f64,
}

#[derive(Clone, Copy)]
struct Body {
    x: f64,
    y: f64,
    z: f64,
    vx: f64,
    vy: f64,
    vz: f64,
    mass: f64,
}

/// The Sun, Jupiter, Saturn, Uranus, Neptune: positions in AU, velocities in AU per year.
/// The literals are the reference program's, digits beyond f64's included.
#[allow(clippy::excessive_precision)]
fn solar_system() -> [Body; 5] {
    let planet = |x, y, z, vx: f64, vy: f64, vz: f64, mass: f64| Body {
        x,
        y,
        z,
        vx: vx * DAYS_PER_YEAR,
        vy: vy * DAYS_PER_YEAR,
        vz: vz * DAYS_PER_YEAR,
        mass: mass * SOLAR_MASS,
    };
    [
        Body { x: 0.0, y: 0.0, z: 0.0, vx: 0.0, vy: 0.0, vz: 0.0, mass: SOLAR_MASS },
        planet(
            4.84143144246472090e+00,
            -1.16032004402742839e+00,
            -1.03622044471123109e-01,
            1.66007664274403694e-03,
            7.69901118419740425e-03,
            -6.90460016972063023e-05,
            9.54791938424326609e-04,
        ),
        planet(
            8.34336671824457987e+00,
            4.12479856412430479e+00,
            -4.03523417114321381e-01,
            -2.76742510726862411e-03,
            4.99852801234917238e-03,
            2.30417297573763929e-05,
            2.85885980666130812e-04,
        ),
        planet(
            1.28943695621391310e+01,
            -1.51111514016986312e+01,
            -2.23307578892655734e-01,
            2.96460137564761618e-03,
            2.37847173959480950e-03,
            -2.96589568540237556e-05,
            4.36624404335156298e-05,
        ),
        planet(
            1.53796971148509165e+01,
            -2.59193146099879641e+01,
            1.79258772950371181e-01,
            2.68067772490389322e-03,
            1.62824170038242295e-03,
            -9.51592254519715870e-05,
            5.15138902046611451e-05,
        ),
    ]
}

/// Gives the Sun the momentum that makes the system's total zero.
fn offset_momentum(bodies: &mut [Body; 5]) {
    let (mut px, mut py, mut pz) = (0.0, 0.0, 0.0);
    for b in bodies.iter() {
        px += b.vx * b.mass;
        py += b.vy * b.mass;
        pz += b.vz * b.mass;
    }
    bodies[0].vx = -px / SOLAR_MASS;
    bodies[0].vy = -py / SOLAR_MASS;
    bodies[0].vz = -pz / SOLAR_MASS;
}

fn energy(bodies: &[Body; 5]) -> f64 {
    let mut e = 0.0;
    for i in 0..bodies.len() {
        let b = &bodies[i];
        e += 0.5 * b.mass * (b.vx * b.vx + b.vy * b.vy + b.vz * b.vz);
        for b2 in &bodies[i + 1..] {
            let dx = b.x - b2.x;
            let dy = b.y - b2.y;
            let dz = b.z - b2.z;
            let distance = (dx * dx + dy * dy + dz * dz).sqrt();
            e -= (b.mass * b2.mass) / distance;
        }
    }
    e
}

fn advance(bodies: &mut [Body; 5]) {
    for i in 0..bodies.len() {
        let (head, tail) = bodies.split_at_mut(i + 1);
        let b = &mut head[i];
        for b2 in tail.iter_mut() {
            let dx = b.x - b2.x;
            let dy = b.y - b2.y;
            let dz = b.z - b2.z;
            let distance = (dx * dx + dy * dy + dz * dz).sqrt();
            let mag = DT / (distance * distance * distance);
            b.vx -= dx * b2.mass * mag;
            b.vy -= dy * b2.mass * mag;
            b.vz -= dz * b2.mass * mag;
            b2.vx += dx * b.mass * mag;
            b2.vy += dy * b.mass * mag;
            b2.vz += dz * b.mass * mag;
        }
    }
    for b in bodies.iter_mut() {
        b.x += DT * b.vx;
        b.y += DT * b.vy;
        b.z += DT * b.vz;
    }
}

/// Runs the simulation for `steps` steps and returns the energy before and after.
pub fn nbody(steps: u32, ticker: &mut Ticker) -> Result<Energies, Interrupted> {
    let mut bodies = solar_system();
    offset_momentum(&mut bodies);
    let before = energy(&bodies);
    let mut left = steps;
    while left > 0 {
        let chunk = left.min(STEPS_PER_TICK);
        for _ in 0..chunk {
            advance(&mut bodies);
        }
        left -= chunk;
        ticker.tick()?;
    }
    Ok(Energies { before, after: energy(&bodies) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::{EvalBreaker, CANCEL};

    fn run(steps: u32) -> Energies {
        nbody(steps, &mut EvalBreaker::new().ticker()).unwrap()
    }

    #[test]
    fn reproduces_the_published_output_for_1000_steps() {
        let e = run(1000);
        assert_eq!(format!("{:.9}", e.before), "-0.169075164");
        assert_eq!(format!("{:.9}", e.after), "-0.169087605");
    }

    #[test]
    fn no_steps_leave_the_energy_as_it_was() {
        let e = run(0);
        assert_eq!(e.before, e.after);
    }

    #[test]
    fn energy_is_nearly_conserved_over_a_long_run() {
        let e = run(20_000);
        assert!(e.before != e.after);
        assert!(((e.after - e.before) / e.before).abs() < 1e-4, "{e:?}");
    }

    #[test]
    fn a_raised_cancel_stops_it() {
        let breaker = EvalBreaker::new();
        breaker.raise(CANCEL);
        assert_eq!(nbody(NBODY_STEPS_MAX, &mut breaker.ticker()), Err(Interrupted::Cancelled));
    }
}
