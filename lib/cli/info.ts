import type { Info } from '../index';

export function formatInfo(i: Info): string {
  const why =
    i.backend === 'native'
      ? 'the native binary loaded'
      : i.nativeLoadError
        ? `a native binary is there but did not load: ${i.nativeLoadError}`
        : process.env.GIL_LAB_BACKEND === 'js'
          ? 'GIL_LAB_BACKEND=js asked for it'
          : `no native binary for ${i.platform} is installed or built`;
  const rows: [string, string][] = [
    ['backend', `${i.backend} (${why})`],
    ['binary', i.binary ?? '-'],
    ['platform', i.platform],
    ['gil-lab', i.version],
    ['node', process.versions.node],
    ['napi', process.versions.napi ?? '-'],
    ['cores', String(i.cpus)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}\n`).join('');
}
