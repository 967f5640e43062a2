// `gil-lab info`: which backend loaded and why, the binary, the platform, versions, cores.

import path from 'node:path';
import { Command } from 'commander';
import { info, type Info } from '../index';
import { runtimeVersions } from '../report/record';
import { coresLabel } from '../report/text';
import { colorsFor } from './terminal';

/** Why this backend runs, in one phrase, from what the loader found. */
export function whyBackend(i: Info, env: NodeJS.ProcessEnv = process.env): string {
  if (i.backend === 'native') {
    const forced = env.GIL_LAB_BACKEND === 'native' ? 'GIL_LAB_BACKEND=native asked for it, and ' : '';
    const from = i.binary?.split(path.sep).includes('node_modules')
      ? `the platform package gil-lab-${i.platform}`
      : 'a local build (native/)';
    return `${forced}the native binary from ${from} loaded`;
  }
  const unused = i.nativeLoadError ? `; a binary is there but was not used: ${i.nativeLoadError}` : '';
  if (i.backend === 'wasm') {
    const forced = env.GIL_LAB_BACKEND === 'wasm' ? 'GIL_LAB_BACKEND=wasm asked for it, and ' : '';
    const from = i.binary?.split(path.sep).includes('node_modules')
      ? 'the package gil-lab-wasm32-wasi'
      : 'a local build (wasm/)';
    const why = forced ? '' : `, as no native binary for ${i.platform} loads`;
    return `${forced}the wasm build from ${from} loaded${why}${unused}`;
  }
  if (env.GIL_LAB_BACKEND === 'js') return 'GIL_LAB_BACKEND=js asked for it';
  if (i.nativeLoadError) return `a binary is there but was not used: ${i.nativeLoadError}`;
  return (
    `no native binary for ${i.platform} is installed (gil-lab-${i.platform}) or built (npm run build:native), ` +
    'nor a wasm build (gil-lab-wasm32-wasi, npm run build:wasm)'
  );
}

export function formatInfo(i: Info, stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): string {
  const colors = colorsFor(stream, env);
  const rows: [string, string][] = [
    ['backend', `${colors.bold(i.backend)} (${whyBackend(i, env)})`],
    ['binary', i.binary ?? '-'],
    ['platform', i.platform],
    ['cores', coresLabel({ cores: i.cpus, physicalCores: i.physicalCores })],
    ...Object.entries(runtimeVersions(i.version)),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${colors.dim(k.padEnd(width))}  ${v}\n`).join('');
}

export function infoCommand(): Command {
  return new Command('info')
    .description(
      'which backend loaded and why, the binary, the platform triple, versions, and the logical and physical cores',
    )
    .option('--json', 'print as JSON')
    .action((flags: { json?: boolean }) => {
      const i = info();
      process.stdout.write(
        flags.json
          ? `${JSON.stringify({ ...i, why: whyBackend(i), versions: runtimeVersions(i.version) }, null, 2)}\n`
          : formatInfo(i, process.stdout),
      );
    });
}
