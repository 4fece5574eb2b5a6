// Sec-WebSocket-Protocol negotiation of main mode (JP:312-360, WS:749-767): echo the first
// token-bearing protocol exactly, else the first supported name; refuse (HTTP 403 at the upgrade)
// when protocols were offered and none is supported; accept plainly when none were offered.

const TOKEN_BEARING = ['jwt.', 'jwt-auth.', 'bearer.'];
const SUPPORTED = ['jwt-auth', 'jwt', 'bearer', 'e2e-testing', 'staging-auth', 'agent_chat'];

export type Negotiation = { kind: 'none' } | { kind: 'accept'; protocol: string } | { kind: 'reject' };

export function offeredProtocols(header: string | string[] | undefined): string[] {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

export function negotiate(offered: readonly string[]): Negotiation {
  if (offered.length === 0) return { kind: 'none' };
  const bearing = offered.find((p) => TOKEN_BEARING.some((prefix) => p.startsWith(prefix) && p.length > prefix.length));
  if (bearing !== undefined) return { kind: 'accept', protocol: bearing };
  const named = offered.find((p) => SUPPORTED.includes(p));
  return named === undefined ? { kind: 'reject' } : { kind: 'accept', protocol: named };
}
