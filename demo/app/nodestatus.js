// The node indicator in the header: whether the node answers its health check, so a user who
// sees messages stay unpublished also sees why.
import { h } from './ui.js';

const intervalMs = 3000;

/** Returns an element that polls `${apiUrl}/health` and says whether the node is reachable. */
export function nodeStatus(apiUrl) {
  const el = h('span', { id: 'node-status', role: 'status', className: 'node-status' }, 'Node: checking…');
  const check = async () => {
    let online = false;
    try {
      online = (await fetch(new URL('/health', apiUrl), { cache: 'no-store' })).ok;
    } catch {
      // unreachable: fetch rejects
    }
    el.className = `node-status ${online ? 'online' : 'offline'}`;
    el.textContent = online ? 'Node online' : 'Node unreachable: messages wait, unpublished, until it returns';
    el.title = apiUrl;
    setTimeout(check, intervalMs);
  };
  check();
  return el;
}
