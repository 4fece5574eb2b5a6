import type { FlagSpec } from '../cli/parse-args.ts';
import { GCP_FLAGS } from '../gcp/gcp-settings.ts';

/** The flags of `golden-probe run` (also accepted by `demo` and `serve`). Design §5. */
export const RUN_FLAGS: readonly FlagSpec[] = [
  { name: 'api-url', kind: 'string', valueName: 'URL', env: 'PROBE_API_URL', description: 'backend base URL (https://…)' },
  { name: 'auth-url', kind: 'string', valueName: 'URL', env: 'PROBE_AUTH_URL', description: 'auth service base URL' },
  { name: 'ws-url', kind: 'string', valueName: 'URL', env: 'PROBE_WS_URL', defaultText: 'api url with ws(s) scheme + /ws', description: 'backend WebSocket URL' },
  { name: 'login', kind: 'string', valueName: 'MODE', choices: ['e2e', 'password', 'browser'], env: 'PROBE_LOGIN', defaultText: 'e2e if PROBE_E2E_BYPASS_KEY is set, else password', description: 'how the synthetic user logs in' },
  { name: 'frontend-url', kind: 'string', valueName: 'URL', env: 'PROBE_FRONTEND_URL', description: 'web app base URL, where a browser login starts (--login browser)' },
  { name: 'artifacts', kind: 'string', valueName: 'DIR', env: 'PROBE_ARTIFACTS_DIR', description: 'where evidence files (browser screenshots) are written', defaultText: 'none' },
  { name: 'service-id', kind: 'string', valueName: 'ID', env: 'PROBE_SERVICE_ID', defaultText: 'netra-backend', description: 'service id sent with PROBE_SERVICE_SECRET to /auth/validate' },
  { name: 'ws-auth', kind: 'string', valueName: 'HOW', choices: ['header', 'subprotocol'], env: 'PROBE_WS_AUTH', defaultText: 'header', description: "token on the upgrade as 'Authorization: Bearer' or the subprotocol jwt.<base64url>" },
  { name: 'timeout-ms', kind: 'int', valueName: 'MS', env: 'PROBE_TIMEOUT_MS', defaultText: '60000, or twice a larger --agent-timeout-ms', description: 'deadline for the whole run' },
  { name: 'agent-timeout-ms', kind: 'int', valueName: 'MS', env: 'PROBE_AGENT_TIMEOUT_MS', defaultText: '30000, or fitted to the other two deadlines set', description: 'deadline for all five agent events' },
  { name: 'agent-degraded-ms', kind: 'int', valueName: 'MS', env: 'PROBE_AGENT_DEGRADED_MS', defaultText: '15000, or half a smaller --agent-timeout-ms', description: 'agent run slower than this is degraded' },
  { name: 'probe', kind: 'string', valueName: 'NAME|PATH', env: 'PROBE_DEFINITION', defaultText: 'golden-path', description: 'probe definition: a name under probes/ or a path to a .ts module' },
  { name: 'retries', kind: 'string', valueName: 'N', env: 'PROBE_RETRIES', defaultText: '0', description: 're-run a failed attempt up to N times, with backoff, before the verdict' },
  { name: 'users', kind: 'string', valueName: 'N', env: 'PROBE_USERS', defaultText: '1', description: 'N independent synthetic users at once, each with its own login, socket and agent run' },
  { name: 'shard', kind: 'string', valueName: 'I/N', defaultText: 'CLOUD_RUN_TASK_INDEX/CLOUD_RUN_TASK_COUNT', description: "run only this shard's share of the probe's targets" },
  { name: 'json', kind: 'string', valueName: 'PATH', description: 'write the report (golden-path-probe/report@1) to PATH' },
  { name: 'junit', kind: 'string', valueName: 'PATH', description: 'write a JUnit XML report to PATH' },
  { name: 'html', kind: 'string', valueName: 'PATH', description: 'write a self-contained HTML report to PATH' },
  {
    name: 'transcript',
    kind: 'string',
    valueName: 'PATH',
    description: "write the run's WebSocket frames to PATH as JSONL (for golden-probe replay)",
  },
  { name: 'trace-url-template', kind: 'string', valueName: 'TEMPLATE', env: 'PROBE_TRACE_URL_TEMPLATE', description: 'link to a trace UI; {traceId} is replaced' },
  { name: 'fail-on-degraded', kind: 'bool', description: 'exit 1 when the result is degraded' },
  { name: 'log-level', kind: 'string', valueName: 'LEVEL', choices: ['trace', 'debug', 'info', 'warn', 'error', 'silent'], env: 'PROBE_LOG_LEVEL', defaultText: 'info (silent in demo)', description: 'JSON log lines on stdout' },
  ...GCP_FLAGS,
  { name: 'help', kind: 'bool', description: 'show this help' },
];
