// A pass-through proxy in front of the node that counts what one client uploads: the bodies of
// its HTTP requests (gRPC-web calls) and everything it writes on upgraded connections
// (WebSocket streams). Request headers are not counted. It can also refuse chosen gRPC-web
// calls itself, with a status, as a node that rejects them would, until it is healed.
import { createServer, request } from 'node:http';
import { connect } from 'node:net';

/**
 * Proxies to target (a node URL); resolves with {url, bytesUp, reset(), refuse(method, code,
 * message), heal(), refused, close()}. refuse() answers every call of a gRPC method (the last
 * path segment, e.g. 'SendGroupMessages') with that gRPC status in a trailers-only response,
 * never forwarding it; heal() forwards them again; refused counts the calls so answered.
 */
export async function countingProxy(target) {
  const to = new URL(target);
  let up = 0;
  let refused = 0;
  const refusals = new Map();
  const sockets = new Set();
  const server = createServer((req, res) => {
    req.on('data', (chunk) => { up += chunk.length; });
    const refusal = req.method === 'POST' && refusals.get(new URL(req.url, to).pathname.split('/').pop());
    if (refusal) {
      refused++;
      req.resume();
      res.writeHead(200, {
        'content-type': 'application/grpc-web+proto',
        'grpc-status': String(refusal.code),
        'grpc-message': encodeURIComponent(refusal.message),
        'access-control-allow-origin': '*',
        'access-control-expose-headers': 'grpc-status, grpc-message',
      }).end();
      return;
    }
    const forward = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
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
    refuse(method, code, message) { refusals.set(method, { code, message }); },
    heal() { refusals.clear(); },
    get refused() { return refused; },
    close() {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      return new Promise((ok) => server.close(ok));
    },
  };
}
