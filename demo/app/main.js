import { version } from 'goxmtp';

const status = document.getElementById('status');
try {
  const info = await version();
  status.textContent = `Ready: goxmtp ${info.version}, MLS ciphersuite ${info.ciphersuite}.`;
  status.className = 'ready';
} catch (err) {
  status.textContent = `The module failed to start (${err.code}): ${err.message}`;
  status.className = 'failed';
}
