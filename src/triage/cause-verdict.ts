import type { VerdictCode } from '../domain/verdict-codes.ts';
import type { ConfigFinding, Verdict } from '../report/types.ts';
import { summaryFor } from './summaries.ts';

/** A cause read from a service's own log (a known marker), with the quoted lines that prove it. */
export interface LogCause {
  code: 'SYSTEM_USER_AUTH_FAILED';
  evidence: string[];
}

export interface LogFindings {
  causes: LogCause[];
  /** The quoted error lines (and why there are none), whether or not a marker was among them. */
  evidence: string[];
}

/** Symptoms of service-to-service auth going wrong: what a split configuration looks like from outside. */
const AUTH_SYMPTOMS: ReadonlySet<VerdictCode> = new Set<VerdictCode>([
  'SERVICE_SECRET_MISMATCH',
  'SERVICE_ID_INVALID',
  'SERVICE_AUTH_NOT_CONFIGURED',
  'TOKEN_REJECTED_BY_AUTH',
  'BACKEND_REJECTS_VALID_TOKEN',
  'BACKEND_AUTH_UNAVAILABLE',
  'WS_UPGRADE_REJECTED',
  'WS_AUTH_FAILED',
  'REST_REJECTED',
  'BACKEND_ERROR',
  // The system-user incident's 403 on a database route (a SYSTEM_USER_AUTH_FAILURE line, or a split secret).
  'DB_SESSION_REFUSED',
]);
/** The wrong ENVIRONMENT also turns the E2E login and the auth bypass rules on or off. */
const ENVIRONMENT_SYMPTOMS: ReadonlySet<VerdictCode> = new Set<VerdictCode>([
  ...AUTH_SYMPTOMS,
  'LOGIN_REJECTED',
  'LOGIN_UNAVAILABLE',
  'AUTH_BYPASSED',
]);

function explains(code: VerdictCode, symptom: VerdictCode): boolean {
  return (code === 'CONFIG_ENVIRONMENT_MISMATCH' ? ENVIRONMENT_SYMPTOMS : AUTH_SYMPTOMS).has(symptom);
}

/**
 * One verdict: when the configuration or the services' logs show the cause of the symptom the hops saw,
 * the verdict names the cause and its fix first and the symptom second. Findings on a passing golden path
 * make it degraded with the finding's code: a split that has not bitten yet.
 */
export function withCause(
  verdict: Verdict,
  findings: readonly ConfigFinding[] | undefined,
  logs: LogFindings | undefined,
): Verdict {
  const found = findings ?? [];
  // The cause's fix is the summary; the other findings keep their code and fix beside their evidence.
  const evidenceWith = (cause: ConfigFinding | undefined) =>
    found.flatMap((f) => (f === cause ? f.evidence : [`${f.code}: ${f.fix}`, ...f.evidence]));
  if (verdict.code === 'PASS' || verdict.code === 'LATENCY_DEGRADED') {
    const first = found[0];
    if (!first) return verdict;
    const more = found.length > 1 ? ` (${found.length - 1} more finding${found.length > 2 ? 's' : ''} below)` : '';
    const latency = verdict.code === 'LATENCY_DEGRADED' && verdict.hop !== 'config' ? verdict.evidence : [];
    return {
      code: first.code,
      hop: 'config',
      summary: `${first.fix}${more}`,
      evidence: [...evidenceWith(first), ...latency],
    };
  }
  const logEvidence = logs?.evidence ?? [];
  const fromConfig = found.find((f) => explains(f.code, verdict.code));
  const fromLogs = logs?.causes.find((c) => explains(c.code, verdict.code));
  if (!fromConfig && !fromLogs) {
    // Not the cause of this symptom, but still wrong: said once, so it is not lost behind the failure.
    const aside = found.length ? [`hop config also found: ${[...new Set(found.map((f) => f.code))].join(', ')}`] : [];
    const extra = [...aside, ...logEvidence];
    return extra.length ? { ...verdict, evidence: [...verdict.evidence, ...extra] } : verdict;
  }
  const code = fromConfig?.code ?? fromLogs!.code;
  const fix =
    fromConfig?.fix ?? summaryFor(code, { name: verdict.hop ?? 'config', status: 'fail', durationMs: 0, startMs: 0 });
  const where = verdict.hop ? ` at ${verdict.hop}` : '';
  return {
    code,
    hop: verdict.hop,
    summary: `${fix} Symptom: ${verdict.code}${where}: ${verdict.summary}`,
    evidence: [
      ...(fromConfig ? evidenceWith(fromConfig) : []),
      ...(fromLogs?.evidence ?? []),
      ...verdict.evidence,
      ...logEvidence,
    ],
    symptom: { code: verdict.code, hop: verdict.hop },
  };
}
