// The platform triple that names a prebuilt binary: `linux-x64-gnu`, `darwin-arm64`, ...

function isMusl(): boolean {
  const report = process.report as { excludeNetwork?: boolean; getReport(): unknown } | undefined;
  if (!report) return false;
  // Without this, making a report can stall on DNS look-ups of open sockets.
  report.excludeNetwork = true;
  const header = (report.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
  return !header?.glibcVersionRuntime;
}

export function platformTriple(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  switch (platform) {
    case 'linux':
      return `linux-${arch}-${isMusl() ? 'musl' : 'gnu'}`;
    case 'win32':
      return `win32-${arch}-msvc`;
    default:
      return `${platform}-${arch}`;
  }
}
