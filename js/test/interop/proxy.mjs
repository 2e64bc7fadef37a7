// A pass-through proxy in front of the node that counts what one client uploads: the bodies of
// its HTTP requests (gRPC-web calls) and everything it writes on upgraded connections
// (WebSocket streams). Request headers are not counted.
import { createServer, request } from 'node:http';
import { connect } from 'node:net';

/** Proxies to target (a node URL); resolves with {url, bytesUp, reset(), close()}. */
export async function countingProxy(target) {
  const to = new URL(target);
  let up = 0;
  const sockets = new Set();
  const server = createServer((req, res) => {
    const forward = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.on('data', (chunk) => { up += chunk.length; });
    req.pipe(forward);
  });
  server.on('upgrade', (req, socket, head) => {
    const upstream = connect(Number(to.port), to.hostname, () => {
      const headers = Object.entries(req.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers}\r\n`);
      upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    socket.on('data', (chunk) => { up += chunk.length; });
    for (const s of [socket, upstream]) {
      sockets.add(s);
      s.on('error', () => { socket.destroy(); upstream.destroy(); });
      s.on('close', () => sockets.delete(s));
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    get bytesUp() { return up; },
    reset() { up = 0; },
    close() {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      return new Promise((ok) => server.close(ok));
    },
  };
}
