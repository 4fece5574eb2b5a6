import { saysAuthUnavailable } from '../net/auth-unavailable.ts';
import { HttpFailure, type HttpResponse } from '../net/http-client.ts';
import { describeRedirect } from '../net/redirect.ts';
import { describeResponse, responseDetail } from '../net/response-detail.ts';
import type { HopOutcome } from './hop-contract.ts';

/** Maps a failed backend REST call to the hop's own (pre-triage) code. */
export function restFailure(what: string, res: HttpResponse, url: string): HopOutcome {
  const redirect = describeRedirect(res.status, res.headers.location, url);
  const evidence = [redirect ? `${what} answered HTTP ${res.status}: ${redirect}` : describeResponse(what, res)];
  if (res.status === 401 || res.status === 403) {
    return { status: 'fail', code: 'REST_REJECTED', httpStatus: res.status, evidence };
  }
  if (res.status === 503 && saysAuthUnavailable(responseDetail(res))) {
    return { status: 'fail', code: 'BACKEND_AUTH_UNAVAILABLE', httpStatus: res.status, evidence };
  }
  return { status: 'fail', code: 'BACKEND_ERROR', httpStatus: res.status, evidence };
}

/** A backend REST call that got no answer at all. */
export function restUnreachable(what: string, err: unknown): HopOutcome {
  if (!(err instanceof HttpFailure)) throw err;
  const outcome: HopOutcome = {
    status: 'fail',
    code: 'BACKEND_ERROR',
    evidence: [`${what} got no answer: ${err.message}`],
  };
  if (err.network) outcome.network = { kind: err.network.kind, code: err.network.code };
  return outcome;
}
