import { SpanKind } from '@opentelemetry/api';
import type { RunConfig } from '../config/types.ts';
import { askAuthToValidate, describeAnswer, type ValidateAnswer } from '../net/auth-validate.ts';
import { HttpFailure, type HttpSender } from '../net/http-client.ts';
import { serverText } from '../net/server-text.ts';
import type { RunState } from '../runner/hop-types.ts';
import { probeTracer } from '../telemetry/tracer.ts';

export interface TriageFindings {
  /** /auth/validate without service headers: does the auth service accept its own token? */
  plain: ValidateAnswer | undefined;
  /** …and with the configured service credentials, when there are some. */
  withService: ValidateAnswer | undefined;
  evidence: string[];
}

export interface TriageInput {
  config: RunConfig;
  state: RunState;
  http: HttpSender;
  signal: AbortSignal;
}

/**
 * After a failure, ask the services what they think of this run's own token (docs/verdicts.md), and read
 * their health endpoints, under one INTERNAL span `triage`.
 */
export async function runTriage(input: TriageInput): Promise<TriageFindings> {
  return probeTracer().startActiveSpan('triage', { kind: SpanKind.INTERNAL }, async (span) => {
    const { config, state, http, signal } = input;
    const findings: TriageFindings = { plain: undefined, withService: undefined, evidence: [] };
    try {
      if (state.accessToken) {
        const plain = await askAuthToValidate({ http, authUrl: config.authUrl, token: state.accessToken, signal });
        if (typeof plain === 'string') findings.evidence.push(`triage: ${plain}`);
        else {
          findings.plain = plain;
          findings.evidence.push(`triage: ${describeAnswer('/auth/validate without service headers', plain)}`);
          span.setAttributes({ 'netra.auth.valid': plain.valid, 'netra.auth.error': plain.error ?? '' });
        }
        if (config.serviceSecret) {
          const withService = await askAuthToValidate({
            http,
            authUrl: config.authUrl,
            token: state.accessToken,
            service: { id: config.serviceId, secret: config.serviceSecret },
            signal,
          });
          if (typeof withService === 'string') findings.evidence.push(`triage: ${withService}`);
          else {
            findings.withService = withService;
            findings.evidence.push(
              `triage: ${describeAnswer(`/auth/validate with X-Service-ID ${config.serviceId}`, withService)}`,
            );
            span.setAttributes({
              'netra.auth.service.valid': withService.valid,
              'netra.auth.service.error': withService.error ?? '',
            });
          }
        }
      } else {
        findings.evidence.push('triage: no token to ask about (login did not produce one)');
      }
      findings.evidence.push(await health(http, `${config.authUrl}/health`, 'auth service', signal));
      findings.evidence.push(await health(http, `${config.apiUrl}/health`, 'backend', signal));
      return findings;
    } finally {
      span.end();
    }
  });
}

async function health(http: HttpSender, url: string, who: string, signal: AbortSignal): Promise<string> {
  try {
    const res = await http.send({ method: 'GET', url, route: '/health', signal, refuseBypassHeaders: true });
    const status = (res.json as { status?: unknown } | undefined)?.status;
    return `triage: ${who} /health answered ${res.status}${typeof status === 'string' ? ` (${serverText(status, 80)})` : ''}`;
  } catch (err) {
    if (err instanceof HttpFailure) return `triage: ${who} /health got no answer (${err.message})`;
    throw err;
  }
}

export function noTriage(): TriageFindings {
  return { plain: undefined, withService: undefined, evidence: [] };
}
