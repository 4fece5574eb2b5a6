import type { VerdictCode } from '../domain/verdict-codes.ts';
import { codeForValidateError } from '../net/auth-validate.ts';
import type { HopReport, Verdict } from '../report/types.ts';
import { passSentence } from './pass-sentence.ts';
import { summaryFor, type VerdictContext } from './summaries.ts';
import type { TriageFindings } from './triage.ts';

/** Symptoms that say "the backend said no" without saying why; triage can name the cause. */
const AUTH_SYMPTOMS: ReadonlySet<VerdictCode> = new Set(['WS_AUTH_FAILED', 'REST_REJECTED']);

/**
 * A code proven by triage wins over a symptom code (docs/verdicts.md): the auth service's answer about the
 * run's own token turns "the backend rejected us" into which secret or which side is wrong.
 */
export function refineWithTriage(code: VerdictCode, triage: TriageFindings): VerdictCode {
  if (!AUTH_SYMPTOMS.has(code)) return code;
  const { plain, withService } = triage;
  if (withService && !withService.valid) {
    const proven = codeForValidateError(withService.error);
    if (proven !== 'TOKEN_REJECTED_BY_AUTH' || (plain && !plain.valid)) return proven;
  }
  if (plain && !plain.valid) return 'TOKEN_REJECTED_BY_AUTH';
  if (plain?.valid && (withService === undefined || withService.valid)) return 'BACKEND_REJECTS_VALID_TOKEN';
  return code;
}

/**
 * The run's verdict: the first failed hop (refined by triage unless its code is `settled`), else the
 * first degraded one, else PASS.
 */
export function decideVerdict(
  hops: readonly HopReport[],
  triage: TriageFindings,
  degradedThresholds: ReadonlyMap<string, number>,
  settled: ReadonlySet<string> = new Set(),
  context: VerdictContext & { capture?: boolean } = {},
): Verdict {
  const failed = hops.find((h) => h.status === 'fail');
  if (failed) {
    const code = settled.has(failed.name)
      ? (failed.code ?? 'BACKEND_ERROR')
      : refineWithTriage(failed.code ?? 'BACKEND_ERROR', triage);
    return {
      code,
      hop: failed.name,
      summary: summaryFor(code, failed, { ...context, urlsSwapped: context.urlsSwapped ?? triage.urlsSwapped }),
      evidence: [...(failed.evidence ?? []), ...triage.evidence],
    };
  }
  const slow = hops.find((h) => h.status === 'degraded');
  if (slow) {
    const threshold = degradedThresholds.get(slow.name);
    return {
      code: 'LATENCY_DEGRADED',
      hop: slow.name,
      summary: `Every hop passed, but ${slow.name} took ${Math.round(slow.durationMs)} ms (degraded above ${threshold ?? '?'} ms): users feel it; look at ${slow.name} in the trace.`,
      evidence: [`${slow.name}: ${Math.round(slow.durationMs)} ms > ${threshold ?? '?'} ms`, ...(slow.evidence ?? [])],
    };
  }
  return {
    code: 'PASS',
    hop: null,
    summary: passSentence(hops, { capture: context.capture ?? false, login: context.login }),
    evidence: [],
  };
}
