'use strict';
// The platform triple, and the C library behind it (found by detect-libc).
const path = require('node:path');
const { ROOT } = require('./support/backends');
const { platformTriple } = require(path.join(ROOT, 'dist', 'platform.js'));
const { npmPlatform, platformPackages } = require(path.join(ROOT, 'scripts', 'sync-versions.js'));

describe('the C library', () => {
  const onLinux = process.platform === 'linux' ? test : test.skip;
  onLinux("is this process's: the triple says gnu exactly where Node's report names a glibc runtime", () => {
    const { header, sharedObjects } = process.report.getReport();
    const musl = sharedObjects.some((file) => /(^|\/)(ld-musl-|libc\.musl-)/.test(file));
    expect(Boolean(header.glibcVersionRuntime)).toBe(!musl);
    expect(platformTriple()).toBe(`linux-${process.arch}-${musl ? 'musl' : 'gnu'}`);
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
