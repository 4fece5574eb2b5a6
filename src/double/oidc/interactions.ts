// The identity provider's interaction routes: oidc-provider decides that the end-user must log in or
// consent and sends the browser here; these pages collect the answer and hand it back to oidc-provider
// (interactionFinished), which resumes the authorization request and redirects to the client.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { sendHtml } from '../http/html.ts';
import type { RouteHandler } from '../http/listener.ts';
import { readBody } from '../http/read-body.ts';
import type { Route } from '../http/router.ts';
import { sameSecret } from '../secrets.ts';
import { consentPage, errorPage, loginPage, UNKNOWN_ACCOUNT_MESSAGE, WRONG_PASSWORD_MESSAGE } from './pages.ts';

export interface TestUser {
  /** Google's `sub`: a stable numeric id. */
  sub: string;
  email: string;
  password: string;
  name: string;
}

export interface InteractionOptions {
  user: TestUser;
  /** The consent page's answer is taken as a deny (oauth_consent_denied). */
  consentDenied: boolean;
  /** The app name the consent page shows for a client id. */
  clientName: (clientId: string) => string;
}

const DENIED: InteractionResults = { error: 'access_denied', error_description: 'End-User aborted interaction' };

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams((await readBody(req)).toString('utf8'));
}

/** An expired or unknown interaction (no cookie, or its TTL passed) is the user's problem, not a crash. */
async function detailsOr400(provider: Provider, req: IncomingMessage, res: ServerResponse) {
  try {
    return await provider.interactionDetails(req, res);
  } catch (err) {
    const status = (err as { statusCode?: unknown }).statusCode;
    if (typeof status !== 'number' || status >= 500) throw err;
    sendHtml(
      res,
      400,
      errorPage('Something went wrong', 'Your sign-in session has expired. Go back to the app and try again.'),
    );
    return undefined;
  }
}

function stringParam(params: Record<string, unknown>, name: string): string {
  const v = params[name];
  return typeof v === 'string' ? v : '';
}

export function interactionRoutes(provider: Provider, opts: InteractionOptions): Route<RouteHandler>[] {
  const { user } = opts;

  const show: RouteHandler = async ({ req, res }) => {
    const details = await detailsOr400(provider, req, res);
    if (details === undefined) return;
    if (details.prompt.name === 'login') {
      return sendHtml(res, 200, loginPage({ uid: details.uid, email: stringParam(details.params, 'login_hint') }));
    }
    const scopes = stringParam(details.params, 'scope')
      .split(' ')
      .filter((s) => s !== '');
    sendHtml(
      res,
      200,
      consentPage({
        uid: details.uid,
        email: user.email,
        clientName: opts.clientName(stringParam(details.params, 'client_id')),
        scopes,
      }),
    );
  };

  const login: RouteHandler = async ({ req, res }) => {
    const details = await detailsOr400(provider, req, res);
    if (details === undefined) return;
    const form = await formOf(req);
    const email = (form.get('login') ?? '').trim();
    const password = form.get('password') ?? '';
    if (email.toLowerCase() !== user.email.toLowerCase()) {
      return sendHtml(res, 200, loginPage({ uid: details.uid, email, error: UNKNOWN_ACCOUNT_MESSAGE }));
    }
    if (!sameSecret(password, user.password)) {
      return sendHtml(res, 200, loginPage({ uid: details.uid, email, error: WRONG_PASSWORD_MESSAGE }));
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.sub } },
      { mergeWithLastSubmission: false },
    );
  };

  const confirm: RouteHandler = async ({ req, res }) => {
    const details = await detailsOr400(provider, req, res);
    if (details === undefined) return;
    await formOf(req);
    if (opts.consentDenied) return provider.interactionFinished(req, res, DENIED, { mergeWithLastSubmission: false });
    const accountId = details.session?.accountId;
    const clientId = stringParam(details.params, 'client_id');
    if (accountId === undefined) {
      return sendHtml(res, 400, errorPage('Something went wrong', 'Sign in again to continue.'));
    }
    const grant =
      (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
      new provider.Grant({ accountId, clientId });
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
      grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  };

  const abort: RouteHandler = async ({ req, res }) => {
    const details = await detailsOr400(provider, req, res);
    if (details === undefined) return;
    await formOf(req);
    await provider.interactionFinished(req, res, DENIED, { mergeWithLastSubmission: false });
  };

  return [
    { method: 'GET', route: '/interaction/{uid}', handler: show },
    { method: 'POST', route: '/interaction/{uid}/login', handler: login },
    { method: 'POST', route: '/interaction/{uid}/confirm', handler: confirm },
    { method: 'POST', route: '/interaction/{uid}/abort', handler: abort },
  ];
}
