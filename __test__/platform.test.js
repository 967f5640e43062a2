'use strict';
// The platform triple, and how the C library behind it is found: the process's report first,
// then /usr/bin/ldd, then `ldd --version`, else glibc.
const path = require('node:path');
const { ROOT } = require('./support/backends');
const { detectLibc, platformTriple, systemLibcSources } = require(path.join(ROOT, 'dist', 'platform.js'));
const { npmPlatform, platformPackages } = require(path.join(ROOT, 'scripts', 'sync-versions.js'));

/** Sources that give what `said` holds, and fail the test if one is asked that should not be. */
function sources(said) {
  const source = (name) => () => {
    if (!(name in said)) throw new Error(`${name} was asked, but an earlier source had answered`);
    return said[name];
  };
  return { report: source('report'), lddScript: source('lddScript'), lddVersion: source('lddVersion') };
}

const GLIBC_LDD_SCRIPT = '#!/bin/bash\n# This file is part of the GNU C Library.\nTEXTDOMAIN=libc\n';
const MUSL_LDD_SCRIPT = '#!/bin/sh\nexec /lib/ld-musl-x86_64.so.1 --list -- "$@"\n';

describe('the C library', () => {
  test('a report with a glibc runtime version is glibc, and ldd is not asked', () => {
    expect(detectLibc(sources({ report: { glibcVersionRuntime: '2.36', sharedObjects: [] } }))).toBe('glibc');
  });

  test("a report that lists musl's loader is musl, and ldd is not asked", () => {
    const report = { sharedObjects: ['/lib/ld-musl-x86_64.so.1', '/usr/lib/libstdc++.so.6'] };
    expect(detectLibc(sources({ report }))).toBe('musl');
  });

  test('where the report says nothing, the ldd script decides', () => {
    expect(detectLibc(sources({ report: undefined, lddScript: MUSL_LDD_SCRIPT }))).toBe('musl');
    expect(detectLibc(sources({ report: { sharedObjects: ['/lib/libc.so.6'] }, lddScript: GLIBC_LDD_SCRIPT }))).toBe(
      'glibc',
    );
  });

  test('where there is no ldd script either, `ldd --version` decides', () => {
    const musl = 'musl libc (x86_64)\nVersion 1.2.4\nDynamic Program Loader\n';
    expect(detectLibc(sources({ report: undefined, lddScript: undefined, lddVersion: musl }))).toBe('musl');
    const glibc = 'ldd (GNU libc) 2.39\nCopyright (C) 2024 Free Software Foundation, Inc.\n';
    expect(detectLibc(sources({ report: {}, lddScript: 'not a script that names one', lddVersion: glibc }))).toBe(
      'glibc',
    );
  });

  test('where nothing answers, glibc is assumed', () => {
    expect(detectLibc(sources({ report: undefined, lddScript: undefined, lddVersion: undefined }))).toBe('glibc');
  });

  const onLinux = process.platform === 'linux' ? test : test.skip;
  onLinux("on this system, the process's report and the system's ldd agree", () => {
    const fromReport = detectLibc({ ...systemLibcSources, lddScript: () => undefined, lddVersion: () => undefined });
    const fromLdd = detectLibc({ ...systemLibcSources, report: () => undefined });
    expect(fromLdd).toBe(fromReport);
    expect(platformTriple()).toBe(`linux-${process.arch}-${fromReport === 'musl' ? 'musl' : 'gnu'}`);
  });

  test("reading the report leaves the process's excludeNetwork setting as it was", () => {
    const before = process.report.excludeNetwork;
    try {
      process.report.excludeNetwork = false;
      systemLibcSources.report();
      expect(process.report.excludeNetwork).toBe(false);
    } finally {
      process.report.excludeNetwork = before;
    }
  });
});

describe('the platform triple', () => {
  test('names each platform as the platform packages do', () => {
    expect(platformTriple('win32', 'x64')).toBe('win32-x64-msvc');
    expect(platformTriple('darwin', 'arm64')).toBe('darwin-arm64');
    expect(platformTriple('linux', 'arm64', () => 'glibc')).toBe('linux-arm64-gnu');
    expect(platformTriple('linux', 'x64', () => 'musl')).toBe('linux-x64-musl');
  });

  test('the loader asks, on each supported platform, for the package built for it', () => {
    // The wasm package is for every platform; the loader asks for it by name.
    for (const { target, triple } of platformPackages(ROOT).filter((p) => p.triple !== 'wasm32-wasi')) {
      const { os, cpu, libc } = npmPlatform(target);
      expect(platformTriple(os, cpu, () => libc)).toBe(triple);
    }
  });
});
