// What the node holds for an installation's welcome topic, read over its Connect JSON API: how
// each welcome reached it (a V1 welcome and its HPKE wrapping, or an XIP-74 pointer).
const prefix = 'WELCOME_WRAPPER_ALGORITHM_';

/**
 * The welcomes sent to an installation (hex id), newest first: [{kind: 'v1', algorithm} |
 * {kind: 'pointer'}].
 */
export async function welcomesTo(nodeUrl, installationId) {
  const res = await fetch(`${nodeUrl}/xmtp.mls.api.v1.MlsApi/QueryWelcomeMessages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      installationKey: Buffer.from(installationId, 'hex').toString('base64'),
      pagingInfo: { direction: 'SORT_DIRECTION_DESCENDING' },
    }),
  });
  if (!res.ok) throw new Error(`QueryWelcomeMessages: ${res.status} ${await res.text()}`);
  const { messages = [] } = await res.json();
  return messages.map((m) => (m.welcomePointer
    ? { kind: 'pointer' }
    : { kind: 'v1', algorithm: (m.v1.wrapperAlgorithm ?? `${prefix}UNSPECIFIED`).slice(prefix.length) }));
}
