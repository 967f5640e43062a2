// The platform triple that names a prebuilt binary: `linux-x64-gnu`, `darwin-arm64`, ...
//
// On Linux the triple names the C library too: a binary built against glibc does not load
// under musl (Alpine), nor the reverse. detect-libc finds it as sharp and the prebuild tools do:
// first from the ELF interpreter of the Node executable itself (this process's C library), then
// /usr/bin/ldd, the process's report, `ldd --version`. Where nothing answers, glibc is assumed —
// the common case; a wrong guess costs the native backend, not a crash.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { familySync, MUSL } from 'detect-libc';

export type Libc = 'glibc' | 'musl';

function systemLibc(): Libc {
  return familySync() === MUSL ? 'musl' : 'glibc';
}

export function platformTriple(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
  libc: () => Libc = systemLibc,
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
