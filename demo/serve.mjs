// `make demo`: serves the demo app on http://localhost:8080. The app imports the goxmtp
// package from node_modules, exactly as a third-party app without a bundler would.
import { fileURLToPath } from 'node:url';
import { serveStatic } from '../js/scripts/serve.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const port = Number(process.env.DEMO_PORT ?? 8080);
const server = await serveStatic(
  { '/': `${root}/demo/app`, '/node_modules/': `${root}/node_modules` },
  { port },
);
console.log(`goxmtp demo: open http://localhost:${new URL(server.url).port} (Ctrl-C to stop)`);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await server.close();
    process.exit(0);
  });
}
