// The platform triple that names a prebuilt binary: `linux-x64-gnu`, `darwin-arm64`, ...
//
// On Linux the triple names the C library too: a binary built against glibc does not load
// under musl (Alpine), nor the reverse. detect-libc finds it as sharp and the prebuild tools do:
// first from the ELF interpreter of the Node executable itself (this process's C library), then
// /usr/bin/ldd, the process's report, `ldd --version`. Where nothing answers, glibc is assumed —
// the common case; a wrong guess costs the native backend, not a crash.

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
