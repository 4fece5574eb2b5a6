import type { GcpSettings } from '../config/gcp-settings.ts';
import type { HttpSender } from '../net/http-client.ts';
import type { TokenSource } from './access-token.ts';
import { callGoogle } from './google-call.ts';
import { googleText, googleObject as obj } from './google-text.ts';

/** One log entry, reduced to what a person needs in one line; every field already fit to quote. */
export interface LogLine {
  service: string;
  timestamp: string;
  severity: string;
  text: string;
}

/** textPayload, else jsonPayload.message, else the request log's method, URL and status. */
function textOf(entry: Record<string, unknown>): string {
  if (typeof entry.textPayload === 'string') return googleText(entry.textPayload, 300);
  const json = obj(entry.jsonPayload);
  if (typeof json.message === 'string') return googleText(json.message, 300);
  const req = obj(entry.httpRequest);
  if (typeof req.requestMethod === 'string') {
    let path = googleText(req.requestUrl, 200);
    if (URL.canParse(path)) path = new URL(path).pathname; // never the query: it may carry ?token=
    return `${googleText(req.requestMethod, 10)} ${path} answered ${typeof req.status === 'number' ? req.status : '?'}`;
  }
  return '(no message)';
}

/**
 * Cloud Logging v2 `entries:list`, newest first: through the log view when one is set (roles/logging.viewAccessor
 * on it), else the project's logs (roles/logging.viewer).
 */
export async function listLogEntries(
  settings: GcpSettings,
  http: HttpSender,
  token: TokenSource,
  filter: string,
  signal: AbortSignal,
  pageSize = 20,
): Promise<LogLine[]> {
  const body = await callGoogle(http, {
    method: 'POST',
    url: `${settings.loggingUrl}/v2/entries:list`,
    route: '/v2/entries:list',
    token: await token(signal),
    json: {
      resourceNames: [settings.logView ?? `projects/${settings.project}`],
      filter,
      orderBy: 'timestamp desc',
      pageSize,
    },
    signal,
  });
  const entries = Array.isArray(body.entries) ? (body.entries as unknown[]) : [];
  return entries.map((raw) => {
    const e = obj(raw);
    return {
      service: googleText(obj(obj(e.resource).labels).service_name, 63) || 'unknown service',
      timestamp: googleText(e.timestamp, 40),
      severity: googleText(e.severity, 12) || 'DEFAULT',
      text: textOf(e),
    };
  });
}
