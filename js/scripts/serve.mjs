// A static file server on a free loopback port, serving a folder the way a web host serves an
// app: correct MIME types (module workers and streaming wasm compilation check them), and
// every response cacheable but revalidated on each use (Cache-Control: no-cache with an ETag
// of size and modification time). Revalidation keeps a rebuilt file from going stale, and a
// cacheable wasm response is what lets Chromium keep the code V8 compiled from it: a later
// load with the same bytes skips compilation ("Serving the wasm" in the README).
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
      const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`; // changes when the file does
      const headers = { 'cache-control': 'no-cache', etag };
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers).end();
        return;
      }
      res.writeHead(200, {
        ...headers,
        'content-type': mime[extname(file)] ?? 'application/octet-stream',
        'content-length': info.size,
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
