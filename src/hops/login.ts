import { rememberSecret, Secret } from '../config/secret.ts';
import { HttpFailure, type HttpResponse } from '../net/http-client.ts';
import { describeRedirect } from '../net/redirect.ts';
import { describeResponse } from '../net/response-detail.ts';
import { notJson } from '../net/unexpected-body.ts';
import type { HopContext, HopOutcome } from './hop-contract.ts';

/** Hop 1: get an access token from the auth service (docs/netra-protocol-notes.md §1a). */
export async function login(ctx: HopContext): Promise<HopOutcome> {
  const { config } = ctx;
  if (config.login === 'browser') {
    // Loaded here only: the API login modes must never pay for (or load) playwright-core.
    const { browserLogin } = await import('../browser-login/browser-login.ts');
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
            route: endpoint,
            // Only the login call carries the bypass key; an empty body is a 422 there, so send {}.
            headers: { 'X-E2E-Bypass-Key': config.bypassKey!.reveal() },
            json: config.userEmail ? { email: config.userEmail } : {},
            signal: ctx.signal,
          }
        : {
            method: 'POST',
            url: `${config.authUrl}${endpoint}`,
            route: endpoint,
            json: { email: config.userEmail, password: config.userPassword!.reveal() },
            signal: ctx.signal,
          },
    );
  } catch (err) {
    if (err instanceof HttpFailure) {
      return {
        status: 'fail',
        code: 'LOGIN_UNAVAILABLE',
        evidence: [`POST ${endpoint} got no answer: ${err.message}`],
        ...(err.network ? { network: { kind: err.network.kind, code: err.network.code } } : {}),
      };
    }
    throw err;
  }

  const what = `POST ${endpoint}`;
  const evidence = [describeResponse(what, res)];
  if (res.status === 401 || res.status === 403 || res.status === 422) {
    return { status: 'fail', code: 'LOGIN_REJECTED', httpStatus: res.status, evidence };
  }
  const redirect = describeRedirect(res.status, res.headers.location, `${config.authUrl}${endpoint}`);
  if (redirect)
    return {
      status: 'fail',
      code: 'LOGIN_UNAVAILABLE',
      httpStatus: res.status,
      evidence: [`${what} answered HTTP ${res.status}: ${redirect}`],
    };
  if (res.status !== 200) {
    // 5xx, or 404/405 when the endpoint is not deployed: the service cannot log anyone in.
    return { status: 'fail', code: 'LOGIN_UNAVAILABLE', httpStatus: res.status, evidence };
  }
  // A 200 that is not the auth API's JSON comes from something in front of it (a proxy, a sign-in page):
  // the auth service itself did not answer, so nobody can log in; the credentials were never judged.
  const unexpected = notJson(res, { quote: false }); // a login's 200 is where tokens live: never quoted
  if (unexpected)
    return {
      status: 'fail',
      code: 'LOGIN_UNAVAILABLE',
      httpStatus: 200,
      evidence: [`${what} answered 200 ${unexpected}`],
    };
  const body = res.json as { access_token?: unknown; refresh_token?: unknown };
  const token = body.access_token;
  // Never used, but remembered, so that no echo of it reaches an output.
  if (typeof body.refresh_token === 'string' && body.refresh_token !== '') rememberSecret(body.refresh_token);
  if (typeof token !== 'string' || token === '') {
    // Key names only: the body of a 200 login may hold a token under another name.
    const keys = Object.keys(body).slice(0, 10).join(', ') || 'none';
    return {
      status: 'fail',
      code: 'LOGIN_UNAVAILABLE',
      httpStatus: 200,
      evidence: [`${what} answered 200 without an access_token (keys: ${keys})`],
    };
  }
  ctx.state.accessToken = new Secret(token);
  return {
    status: 'pass',
    httpStatus: 200,
    evidence: [`POST ${endpoint} answered 200 with an access token (${config.login} login)`],
  };
}
