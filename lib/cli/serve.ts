// `gil-lab serve`: the lab's page (dist/site, see docs/browser.md) on localhost, cross-origin
// isolated. Prints the page's URL on stdout; SIGINT or SIGTERM closes the server and every
// open connection, and the command exits with status 0 — stopping is how a server ends.

import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { createSiteServer } from '../serve/static-server';
import { integerAtLeast } from './options';

/** The built page, beside the CLI in the package. */
export const SITE_FOLDER = path.join(__dirname, '..', 'site');

function port(text: string): number {
  const value = integerAtLeast(0)(text);
  if (value > 65535) throw new InvalidArgumentError(`expected a port from 0 to 65535; got ${text}`);
  return value;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description("serves the lab's page on this machine, cross-origin isolated, and prints its URL")
    .option('--port <n>', 'the port; 0 asks the system for a free one', port, 8000)
    .option('--host <address>', 'the address to listen on (the default keeps it on this machine)', '127.0.0.1')
    .action(async ({ port, host }: { port: number; host: string }) => {
      if (!fs.existsSync(path.join(SITE_FOLDER, 'index.html'))) {
        throw new Error(`the page is not built in ${SITE_FOLDER}: run npm run build:site`);
      }
      const server = createSiteServer(SITE_FOLDER);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      const shown = host.includes(':') ? `[${host}]` : host;
      process.stdout.write(`gil-lab serve: http://${shown}:${bound}/ (Ctrl-C stops it)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          server.close(() => resolve());
          server.closeAllConnections();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
