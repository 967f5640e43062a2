// The declarations catch mistakes: tsc over __test__/types/mistakes.mts, a file of deliberate
// errors each marked @ts-expect-error, beside the right forms. A mistake that compiles leaves
// its directive unused, which tsc reports as an error. Types are the same on every backend, so
// this runs once per `npm test`, in the JS pass.
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT, backend } = require('./support/backends');

(backend === 'js' || backend === 'auto' ? describe : describe.skip)('the declarations (tsc, strict)', () => {
  test('refuse each deliberate mistake of __test__/types/mistakes.mts, and accept the right forms beside them', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', path.join('__test__', 'types')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 170_000,
    });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  }, 180_000);

  test('say that they need @types/node', () => {
    const index = require('node:fs').readFileSync(path.join(ROOT, 'dist', 'index.d.ts'), 'utf8');
    expect(index.split('\n')[0]).toBe('/// <reference types="node" preserve="true" />');
  });
});
