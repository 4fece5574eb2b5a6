import type { FlagSpec } from '../config/flag-values.ts';

export function renderFlags(specs: readonly FlagSpec[]): string {
  return specs
    .map((s) => {
      const left = `  --${s.name}${s.kind === 'bool' ? '' : ` ${s.valueName ?? 'VALUE'}`}`;
      const extras = [
        s.choices ? `one of ${s.choices.join('|')}` : '',
        s.env ? `env ${s.env}` : '',
        s.defaultText ? `default ${s.defaultText}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      return `${left.padEnd(34)} ${s.description}${extras ? ` (${extras})` : ''}`;
    })
    .join('\n');
}

export const TOP_HELP = `golden-probe: is the Netra Apex golden path working on staging, and if not, which hop broke and why?

Usage:
  golden-probe run [flags]              one run against a target (PROBE_API_URL, PROBE_AUTH_URL, …)
  golden-probe demo [--fault NAME] [run flags]
                                        start the bundled staging double, run against it, stop it
  golden-probe double [--fault NAME]    start the staging double alone, print its URLs, run until Ctrl-C
  golden-probe serve [run flags] [--every 60s] [--port N]
                                        long-running: scheduled and POST /run runs, GET /metrics, /healthz
  golden-probe replay FILE [--user ID] [--thread ID]
                                        judge a WebSocket transcript or captured frames offline (agent.run)
  golden-probe preflight --gcp-project ID
                                        read the deployed Cloud Run configuration and secrets, list what is wrong
  golden-probe <command> --help         the flags of a command
  golden-probe --version

Secrets come only from the environment: PROBE_E2E_BYPASS_KEY, PROBE_USER_EMAIL, PROBE_USER_PASSWORD,
PROBE_SERVICE_SECRET. Exit codes: 0 pass/degraded, 1 fail, 2 usage or configuration error, 3 probe bug.
`;
