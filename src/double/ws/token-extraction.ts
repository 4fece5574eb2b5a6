// Where main mode finds the token (JP:54-131, UA:551-589): Authorization header, then a token-bearing
// subprotocol (base64url-encoded JWT tried first, else raw; under 10 characters ignored), then ?token=.
import type { IncomingMessage } from 'node:http';

export type TokenSource = 'authorization' | 'subprotocol' | 'query';

const PROTOCOL_PREFIXES = ['jwt.', 'jwt-auth.', 'bearer.', 'staging-auth.'];
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const MIN_TOKEN_CHARS = 10;

function fromProtocolValue(value: string): string {
  const decoded = Buffer.from(value, 'base64url').toString('utf8');
  return JWT_SHAPE.test(decoded) ? decoded : value;
}

export function extractToken(
  req: IncomingMessage,
  offered: readonly string[],
): { token: string; source: TokenSource } | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) {
    const token = auth.slice('Bearer '.length).trim();
    if (token !== '') return { token, source: 'authorization' };
  }
  for (const p of offered) {
    const prefix = PROTOCOL_PREFIXES.find((x) => p.startsWith(x));
    if (prefix === undefined) continue;
    const value = p.slice(prefix.length);
    if (value.length < MIN_TOKEN_CHARS) continue;
    return { token: fromProtocolValue(value), source: 'subprotocol' };
  }
  const query = new URL(req.url ?? '/', 'http://double.invalid').searchParams.get('token');
  if (query !== null && query !== '') return { token: query, source: 'query' };
  return undefined;
}
