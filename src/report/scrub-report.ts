// The report's safety net: every JSON, JUnit, HTML report, human summary, metric and `serve` answer is
// derived from the report this returns. Hops should never put a secret in their evidence, but evidence
// quotes what servers said, and a hostile or buggy server may echo the request: the bypass key, the
// password, the service secret, the Authorization header. Any value the process holds as a Secret (and
// its wire forms: URL-encoded, JSON-escaped, base64/base64url, a JWT's signature part) becomes [REDACTED].
import { scrubDeep } from '../config/secret.ts';
import type { Report } from './types.ts';

/** The finished report with every remembered secret taken out of every string (attempts included); the same object when clean. */
export function scrubReport(report: Report): Report {
  return scrubDeep(report);
}
