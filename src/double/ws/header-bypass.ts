// The backend's header-based E2E bypass (UW:98-113), kept on purpose: a header whose NAME contains
// "test" or "e2e" with a value containing e2e/staging/test/true/1 skips token checking entirely.
// A probe that sends such headers gets the mock user, and its tests catch it.
import type { IncomingMessage } from 'node:http';

const NAME_MARKERS = ['test', 'e2e'];
const VALUE_MARKERS = ['e2e', 'staging', 'test', 'true', '1'];

export const BYPASS_USER_ID = 'staging-e2e-user-001';

export function hasBypassHeader(req: IncomingMessage): boolean {
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] ?? '').toLowerCase();
    const value = (req.rawHeaders[i + 1] ?? '').toLowerCase();
    if (NAME_MARKERS.some((m) => name.includes(m)) && VALUE_MARKERS.some((m) => value.includes(m))) return true;
  }
  return false;
}
