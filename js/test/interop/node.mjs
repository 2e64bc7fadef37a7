// The node the interop tests and benchmark talk to: xmtpnode built from this repository and run
// as a child process on a free loopback port (gRPC-web only, which is what both browser SDKs
// speak), with rate limits off since one test drives many clients from one IP.
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { repoRoot } from '../support/gotest.mjs';

/** Builds xmtpnode into dir and starts it; resolves with {url, stop}. */
export async function startNode(dir) {
  const bin = join(dir, 'xmtpnode');
  await promisify(execFile)('go', ['build', '-o', bin, './node/cmd/xmtpnode'], { cwd: repoRoot });
  const proc = spawn(bin, [
    '-data-dir', join(dir, 'node-data'), '-grpc-addr', '', '-web-addr', '127.0.0.1:0',
    '-log-json', '-read-rate', '-1', '-write-rate', '-1',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((ok) => proc.once('exit', ok));
  const addr = await new Promise((resolve, reject) => {
    exited.then((code) => reject(new Error(`xmtpnode exited with ${code} before serving`)));
    createInterface({ input: proc.stderr }).on('line', (line) => {
      let rec;
      try {
        rec = JSON.parse(line);
      } catch {
        rec = { msg: line };
      }
      if (rec.msg === 'serving') resolve(rec.addr);
      else if (rec.level === 'ERROR') console.error(`[xmtpnode] ${line}`);
    });
  });
  return {
    url: `http://${addr}`,
    async stop() {
      proc.kill('SIGTERM');
      await exited;
    },
  };
}
