// Every request the probe makes says that it is the probe (HTTP and the WebSocket upgrade): a backend's logs,
// metrics and traces can then tell synthetic traffic from users' (semconv user_agent.synthetic.type=test).
import { readFileSync } from 'node:fs';

const version = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : '0';
  } catch {
    return '0';
  }
})();

export const USER_AGENT = `golden-path-probe/${version}`;

/** The attributes a CLIENT span of the probe's own requests carries for it. */
export const SYNTHETIC_ATTRIBUTES = {
  'user_agent.original': USER_AGENT,
  'user_agent.synthetic.type': 'test',
} as const;
