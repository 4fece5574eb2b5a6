import { SpanKind } from '@opentelemetry/api';
import type { RunConfig } from '../config/types.ts';
import type { RunState } from '../hops/hop-contract.ts';
import { askAuthToValidate, describeAnswer, type ValidateAnswer } from '../net/auth-validate.ts';
import { boundedSignal } from '../net/bounded-signal.ts';
import { HttpFailure, type HttpSender } from '../net/http-client.ts';
import { serverText } from '../net/server-text.ts';
import { probeTracer } from '../telemetry/tracer.ts';

export interface TriageFindings {
  /** /auth/validate without service headers: does the auth service accept its own token? */
  plain: ValidateAnswer | undefined;
  /** …and with the configured service credentials, when there are some. */
  withService: ValidateAnswer | undefined;
  evidence: string[];
  /**
   * The two /health bodies say the URLs are the other way round: the "auth" URL answers as the backend does
   * and the "api" URL as the auth service does (docs/netra-protocol-notes.md: `{"status":"ok"}` vs
   * `{"status":"healthy","service":"auth-service",…}`).
   */
  urlsSwapped?: boolean;
}

export interface TriageInput {
  config: RunConfig;
  state: RunState;
  http: HttpSender;
  signal: AbortSignal;
  /** Each check's own bound (within `signal`): a hung service spends only its own check's time. */
  checkMs?: number;
}

/** Who answered a /health: the shape of the body, not its words (a server chooses those). */
type HealthShape = 'backend' | 'auth' | 'unknown';

interface HealthResult {
  line: string;
  shape: HealthShape;
}

/**
 * After a failure, ask the services what they think of this run's own token (docs/verdicts.md), and read
 * their health endpoints, under one INTERNAL span `triage`. The checks run at once, each with its own
 * bound: one service that accepts a connection and never answers must not make the other look down.
 */
export async function runTriage(input: TriageInput): Promise<TriageFindings> {
  return probeTracer().startActiveSpan('triage', { kind: SpanKind.INTERNAL }, async (span) => {
    const { config, state, http, signal } = input;
    const checkMs = input.checkMs ?? 5_000;
    const own = async <T>(work: (s: AbortSignal) => Promise<T>): Promise<T> => {
      const bounded = boundedSignal(signal, checkMs);
      try {
        return await work(bounded.signal);
      } finally {
        bounded.release();
      }
    };
    const findings: TriageFindings = { plain: undefined, withService: undefined, evidence: [] };
    try {
      const token = state.accessToken;
      const [plain, withService, authHealth, backendHealth] = await Promise.all([
        token ? own((s) => askAuthToValidate({ http, authUrl: config.authUrl, token, signal: s })) : undefined,
        token && config.serviceSecret
          ? own((s) =>
              askAuthToValidate({
                http,
                authUrl: config.authUrl,
                token,
                service: { id: config.serviceId, secret: config.serviceSecret! },
                signal: s,
              }),
            )
          : undefined,
        own((s) => health(http, `${config.authUrl}/health`, 'auth service', s)),
        own((s) => health(http, `${config.apiUrl}/health`, 'backend', s)),
      ]);
      if (!token) findings.evidence.push('triage: no token to ask about (login did not produce one)');
      if (plain && 'failure' in plain) findings.evidence.push(`triage: ${plain.failure}`);
      else if (plain) {
        findings.plain = plain;
        findings.evidence.push(`triage: ${describeAnswer('/auth/validate without service headers', plain)}`);
        span.setAttributes({ 'netra.auth.valid': plain.valid, 'netra.auth.error': plain.error ?? '' });
      }
      if (withService && 'failure' in withService) findings.evidence.push(`triage: ${withService.failure}`);
      else if (withService) {
        findings.withService = withService;
        findings.evidence.push(
          `triage: ${describeAnswer(`/auth/validate with X-Service-ID ${config.serviceId}`, withService)}`,
        );
        span.setAttributes({
          'netra.auth.service.valid': withService.valid,
          'netra.auth.service.error': withService.error ?? '',
        });
      }
      findings.evidence.push(authHealth.line, backendHealth.line);
      if (authHealth.shape === 'backend' && backendHealth.shape === 'auth') {
        findings.urlsSwapped = true;
        findings.evidence.push(
          'triage: the auth URL answers /health as the backend does and the api URL as the auth service does',
        );
      }
      return findings;
    } finally {
      span.end();
    }
  });
}

async function health(http: HttpSender, url: string, who: string, signal: AbortSignal): Promise<HealthResult> {
  try {
    const res = await http.send({ method: 'GET', url, route: '/health', signal, refuseBypassHeaders: true });
    const body = res.json as { status?: unknown; service?: unknown; database_status?: unknown } | undefined;
    const status = body?.status;
    const line = `triage: ${who} /health answered ${res.status}${typeof status === 'string' ? ` (${serverText(status, 80)})` : ''}`;
    return { line, shape: shapeOf(res.status, body) };
  } catch (err) {
    if (err instanceof HttpFailure)
      return { line: `triage: ${who} /health got no answer (${err.message})`, shape: 'unknown' };
    throw err;
  }
}

function shapeOf(status: number, body: { status?: unknown; service?: unknown; database_status?: unknown } | undefined) {
  if (status !== 200 || !body || typeof body !== 'object') return 'unknown';
  if (body.service === 'auth-service' || (body.status === 'healthy' && 'database_status' in body)) return 'auth';
  if (body.status === 'ok' && body.service === undefined) return 'backend';
  return 'unknown';
}

export function noTriage(): TriageFindings {
  return { plain: undefined, withService: undefined, evidence: [] };
}
