// A static file server on a free loopback port, serving a folder the way a web host serves an
// app: correct MIME types (module workers and streaming wasm compilation check them), no cache.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * Serves folders on a loopback port and resolves with {url, close}. `mounts` maps URL prefixes
 * to folders (longest prefix wins), e.g. {'/': 'demo', '/node_modules/': 'node_modules'}; a
 * string serves one folder at '/'. `types` adds MIME types by file ending ('' for files
 * without one, such as workers loaded at extension-less paths).
 */
export async function serveStatic(mounts, { port = 0, host = '127.0.0.1', types: extra = {} } = {}) {
  const mime = { ...types, ...extra };
  const table = Object.entries(typeof mounts === 'string' ? { '/': mounts } : mounts)
    .map(([prefix, dir]) => [prefix, resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const [prefix, base] = table.find(([p]) => path.startsWith(p)) ?? [];
    let file = base && normalize(join(base, path.slice(prefix.length)));
    if (!file || !file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file);
      }
      res.writeHead(200, {
        'content-type': mime[extname(file)] ?? 'application/octet-stream',
        'content-length': info.size,
        'cache-control': 'no-store',
      });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((ok) => server.listen(port, host, ok));
  const { port: bound } = server.address();
  return {
    url: `http://${host}:${bound}`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}
