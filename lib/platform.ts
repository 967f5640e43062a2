// The platform triple that names a prebuilt binary: `linux-x64-gnu`, `darwin-arm64`, ...
//
// On Linux the triple names the C library too: a binary built against glibc does not load
// under musl (Alpine), nor the reverse. What counts is the C library of this Node process,
// so its own diagnostic report is asked first. Where the report says nothing either way
// (no report, or a Node built without `glibcVersionRuntime`), the system's `ldd` is asked:
// its script names its C library, and so does `ldd --version`. Where nothing answers,
// glibc is assumed — the common case; a wrong guess costs the native backend, not a crash.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export type Libc = 'glibc' | 'musl';

/** What the diagnostic report says about the C library of this process. */
export interface ReportSummary {
  glibcVersionRuntime?: string;
  sharedObjects?: readonly string[];
}

/** Where the C library can be read from; each gives undefined where it has nothing to say. */
export interface LibcSources {
  report(): ReportSummary | undefined;
  /** The text of `/usr/bin/ldd` (a shell script on glibc and on musl systems alike). */
  lddScript(): string | undefined;
  /** What `ldd --version` prints, stdout and stderr together (musl's ldd prints to stderr). */
  lddVersion(): string | undefined;
}

interface Report {
  excludeNetwork?: boolean;
  getReport(): { header?: { glibcVersionRuntime?: string }; sharedObjects?: string[] };
}

function readReport(): ReportSummary | undefined {
  const report = process.report as Report | undefined;
  if (typeof report?.getReport !== 'function') return undefined;
  // Without excludeNetwork, making a report can stall on DNS look-ups of open sockets.
  const excludeNetwork = report.excludeNetwork;
  report.excludeNetwork = true;
  try {
    const { header, sharedObjects } = report.getReport();
    return { glibcVersionRuntime: header?.glibcVersionRuntime, sharedObjects };
  } catch {
    return undefined;
  } finally {
    report.excludeNetwork = excludeNetwork;
  }
}

function readLddScript(): string | undefined {
  try {
    return fs.readFileSync('/usr/bin/ldd', 'latin1');
  } catch {
    return undefined;
  }
}

function runLddVersion(): string | undefined {
  const result = spawnSync('ldd', ['--version'], { encoding: 'utf8', timeout: 2000 });
  if (result.error) return undefined;
  return `${result.stdout}${result.stderr}`;
}

export const systemLibcSources: LibcSources = {
  report: readReport,
  lddScript: readLddScript,
  lddVersion: runLddVersion,
};

/** The C library a text names: an ldd script, or what `ldd --version` prints. */
function libcNamedIn(text: string | undefined): Libc | undefined {
  if (!text) return undefined;
  if (/musl/i.test(text)) return 'musl';
  if (/GNU C Library|GNU libc|GLIBC/i.test(text)) return 'glibc';
  return undefined;
}

/** The C library of this process, asked of `sources` in the order the header gives. */
export function detectLibc(sources: LibcSources = systemLibcSources): Libc {
  const report = sources.report();
  if (report?.glibcVersionRuntime) return 'glibc';
  if (report?.sharedObjects?.some((file) => /(^|\/)(ld-musl-|libc\.musl-)/.test(file))) return 'musl';
  return libcNamedIn(sources.lddScript()) ?? libcNamedIn(sources.lddVersion()) ?? 'glibc';
}

let systemLibc: Libc | undefined;

/** This process's C library, found once. */
function systemLibcOnce(): Libc {
  systemLibc ??= detectLibc();
  return systemLibc;
}

export function platformTriple(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
  libc: () => Libc = systemLibcOnce,
): string {
  switch (platform) {
    case 'linux':
      return `linux-${arch}-${libc() === 'musl' ? 'musl' : 'gnu'}`;
    case 'win32':
      return `win32-${arch}-msvc`;
    default:
      return `${platform}-${arch}`;
  }
}

/**
 * Physical cores as the OS reports them, which `os.cpus()` (logical cores, hyperthreads
 * counted) does not say: Linux's /proc/cpuinfo (distinct physical id × core id pairs), macOS's
 * `sysctl hw.physicalcpu`. Null where neither answers.
 */
export function physicalCores(): number | null {
  if (process.platform === 'linux') {
    try {
      const cores = new Set<string>();
      for (const block of fs.readFileSync('/proc/cpuinfo', 'utf8').split(/\n\s*\n/)) {
        const physical = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1];
        const core = /^core id\s*:\s*(\d+)/m.exec(block)?.[1];
        if (physical !== undefined && core !== undefined) cores.add(`${physical}:${core}`);
      }
      return cores.size > 0 ? cores.size : null;
    } catch {
      return null;
    }
  }
  if (process.platform === 'darwin') {
    const result = spawnSync('sysctl', ['-n', 'hw.physicalcpu'], { encoding: 'utf8', timeout: 2000 });
    const cores = Number.parseInt(result.stdout ?? '', 10);
    return Number.isInteger(cores) && cores > 0 ? cores : null;
  }
  return null;
}
