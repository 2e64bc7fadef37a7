// A real xmtpnode process for browser tests: built from node/cmd/xmtpnode, serving gRPC-web,
// Connect and WebSocket on a free loopback port with its own data directory, without rate
// limits, and stoppable, restartable on the same port with the same data (a deployment
// restarting its node, at once or after a while) and pausable (SIGSTOP: connections stay open
// but silent).
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { repoRoot } from './gotest.mjs';

/**
 * Builds and starts a node; resolves with {url, pause, resume, down, up, restart, stop}. down()
 * stops the process and up() starts it again on the same port and data; stop() also deletes
 * the data.
 */
export async function startNode() {
  const dir = await mkdtemp(join(tmpdir(), 'goxmtp-node-'));
  const bin = join(dir, 'xmtpnode');
  await promisify(execFile)('go', ['build', '-o', bin, './node/cmd/xmtpnode'], { cwd: repoRoot });
  const launch = async (addr) => {
    const proc = spawn(bin, [
      '-data-dir', join(dir, 'data'), '-grpc-addr', '', '-web-addr', addr,
      '-log-json', '-read-rate', '-1', '-write-rate', '-1',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    // The node logs {"msg":"serving","addr":…} once it listens: the bound port is read there.
    const bound = await new Promise((resolve, reject) => {
      proc.once('exit', (code) => reject(new Error(`xmtpnode exited with ${code} before serving`)));
      createInterface({ input: proc.stderr }).on('line', (line) => {
        try {
          const rec = JSON.parse(line);
          if (rec.msg === 'serving') resolve(rec.addr);
        } catch {
          console.error(`[xmtpnode] ${line}`);
        }
      });
    });
    return { proc, bound };
  };
  const kill = async (proc) => {
    if (proc.exitCode !== null) return;
    const exited = new Promise((ok) => proc.once('exit', ok));
    proc.kill('SIGCONT');
    proc.kill('SIGTERM');
    await exited;
  };
  let { proc, bound } = await launch('127.0.0.1:0');
  const down = () => kill(proc);
  const up = async () => {
    ({ proc } = await launch(bound));
  };
  return {
    url: `http://${bound}`,
    pause: () => proc.kill('SIGSTOP'),
    resume: () => proc.kill('SIGCONT'),
    down,
    up,
    async restart() {
      await down();
      await up();
    },
    async stop() {
      await kill(proc);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
