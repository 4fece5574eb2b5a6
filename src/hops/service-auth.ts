import { askAuthToValidate, codeForValidateError, describeAnswer } from '../net/auth-validate.ts';
import type { HopContext, HopOutcome } from './hop-contract.ts';

/** Hop 3: do the service credentials the backend uses still work at the auth service? */
export async function serviceAuth(ctx: HopContext): Promise<HopOutcome> {
  const { config } = ctx;
  if (!config.serviceSecret) {
    return { status: 'skip', evidence: [], skippedBecause: 'PROBE_SERVICE_SECRET is not set' };
  }
  const answer = await askAuthToValidate({
    http: ctx.http,
    authUrl: config.authUrl,
    token: ctx.state.accessToken!,
    service: { id: config.serviceId, secret: config.serviceSecret },
    signal: ctx.signal,
  });
  if ('failure' in answer) {
    return {
      status: 'fail',
      code: 'LOGIN_UNAVAILABLE',
      evidence: [answer.failure],
      ...(answer.network ? { network: { kind: answer.network.kind, code: answer.network.code } } : {}),
    };
  }
  const line = describeAnswer(`/auth/validate with X-Service-ID ${config.serviceId}`, answer);
  if (answer.valid) return { status: 'pass', httpStatus: answer.status, evidence: [line] };
  return { status: 'fail', code: codeForValidateError(answer.error), httpStatus: answer.status, evidence: [line] };
}
