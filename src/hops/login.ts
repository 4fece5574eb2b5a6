import { Secret } from '../config/secret.ts';
import { HttpFailure, type HttpResponse } from '../net/http-client.ts';
import { describeResponse } from '../net/response-detail.ts';
import type { HopContext, HopOutcome } from '../runner/hop-types.ts';

/** Hop 1: get an access token from the auth service (netra-protocol §1a). */
export async function login(ctx: HopContext): Promise<HopOutcome> {
  const { config } = ctx;
  if (config.login === 'browser') {
    // Loaded here only: the API login modes must never pay for (or load) playwright-core.
    const { browserLogin } = await import('../login/browser-login.ts');
    return browserLogin(ctx);
  }
  const endpoint = config.login === 'e2e' ? '/auth/e2e/test-auth' : '/auth/login';
  let res: HttpResponse;
  try {
    res = await ctx.http.send(
      config.login === 'e2e'
        ? {
            method: 'POST',
            url: `${config.authUrl}${endpoint}`,
            // Only the login call carries the bypass key; an empty body is a 422 there, so send {}.
            headers: { 'X-E2E-Bypass-Key': config.bypassKey!.reveal() },
            json: config.userEmail ? { email: config.userEmail } : {},
            signal: ctx.signal,
          }
        : {
            method: 'POST',
            url: `${config.authUrl}${endpoint}`,
            json: { email: config.userEmail, password: config.userPassword!.reveal() },
            signal: ctx.signal,
          },
    );
  } catch (err) {
    if (err instanceof HttpFailure) {
      return { status: 'fail', code: 'LOGIN_UNAVAILABLE', evidence: [`POST ${endpoint} got no answer: ${err.message}`] };
    }
    throw err;
  }

  const evidence = [describeResponse(`POST ${endpoint}`, res)];
  if (res.status === 401 || res.status === 403 || res.status === 422) {
    return { status: 'fail', code: 'LOGIN_REJECTED', httpStatus: res.status, evidence };
  }
  if (res.status !== 200) {
    // 5xx, or 404/405 when the endpoint is not deployed: the service cannot log anyone in.
    return { status: 'fail', code: 'LOGIN_UNAVAILABLE', httpStatus: res.status, evidence };
  }
  const token = (res.json as { access_token?: unknown } | undefined)?.access_token;
  if (typeof token !== 'string' || token === '') {
    return {
      status: 'fail',
      code: 'LOGIN_REJECTED',
      httpStatus: res.status,
      evidence: [`POST ${endpoint} answered 200 without an access_token`],
    };
  }
  ctx.state.accessToken = new Secret(token);
  return { status: 'pass', httpStatus: 200, evidence: [`POST ${endpoint} answered 200 with an access token (${config.login} login)`] };
}
