// The browser side of the Google OAuth login (docs/netra-protocol-notes.md §1b), as a person does it: open the web
// app, click "Sign in with Google", let the auth service redirect to the identity provider, enter the
// test user's email and password, pass the consent screen, and come back through the auth service's
// /auth/callback to the frontend's, which stores the Netra tokens. Each turn of the loop looks at the
// page the browser is on and does what that page asks; the pages are recognised by what a person
// would see (a password field, an Allow button), so the same steps work on Google's pages and the
// double's. Where the flow stops, the page says why: that becomes the failure.
import type { Locator, Page } from 'playwright-core';
import type { Secret } from '../config/secret.ts';
import { LoginFailure, netErrorOf } from './login-failure.ts';
import type { Origins, PageRole } from './page-evidence.ts';
import { bodyText, clip, MESSAGE_SELECTOR, pageTitle, roleOf, visibleMessage } from './page-evidence.ts';
import { pathTemplate, safeUrl } from './safe-url.ts';

/** Where the real frontend keeps the access token (frontend/auth/unified-auth-service.ts TOKEN_KEY). */
export const TOKEN_KEY = 'jwt_token';

const SIGN_IN = /sign in with google|continue with google|log ?in with google|sign in|log ?in/i;
const SUBMIT = /^\s*(next|sign in|log ?in|continue)\s*$/i;
const CONSENT = /^\s*(allow|continue|accept|approve|authorize|grant access|confirm)\s*$/i;
const IDENTIFIER =
  'input[type="email"]:visible, input[name="identifier"]:visible, input[autocomplete="username"]:visible';
const PASSWORD = 'input[type="password"]:visible';

/** Most pages a sign-in goes through (Google: identifier, password, consent, perhaps a chooser). */
const MAX_PAGES = 10;
/** How long one page may take to answer an action (the hop's own budget bounds the whole flow). */
const STEP_MS = 8_000;
/** The frontend's /auth/callback stores the token from a script; give it this long. */
const TOKEN_WAIT_MS = 3_000;
/** An unrecognised page may still be redirecting from a script. */
const SETTLE_MS = 1_500;

export interface FlowOptions {
  page: Page;
  frontendUrl: string;
  origins: Origins;
  email: string;
  password: Secret;
  /** Races a wait against the hop's end (budget, run deadline, SIGTERM): rejects when the hop must stop. */
  until: <T>(p: Promise<T>) => Promise<T>;
}

export class LoginFlow {
  /** The pages the browser committed, in order, as `role path (what it was)`: for the evidence. */
  readonly trail: string[] = [];
  readonly #o: FlowOptions;
  #trailUrl = '';
  #navigations = 0;
  #failedNavigation: { url: string; error: string } | undefined;
  #lastDocument: { url: string; status: number } | undefined;
  #emailTries = 0;
  #passwordTries = 0;
  #consentTries = 0;

  constructor(opts: FlowOptions) {
    this.#o = opts;
    const { page } = opts;
    page.on('framenavigated', (frame) => {
      if (frame !== page.mainFrame()) return;
      this.#navigations++;
      const url = frame.url();
      if (url === this.#trailUrl) return;
      this.#trailUrl = url;
      this.trail.push(
        url.startsWith('chrome-error:') ? "Chromium's error page" : `${roleOf(url, opts.origins)} ${pathTemplate(url)}`,
      );
    });
    page.on('requestfailed', (request) => {
      if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return;
      const error = request.failure()?.errorText ?? 'failed';
      // A navigation replaced by another one (a script redirect) is aborted, not failed.
      if (error !== 'net::ERR_ABORTED') this.#failedNavigation = { url: request.url(), error };
    });
    page.on('response', (response) => {
      const request = response.request();
      if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return;
      const status = response.status();
      if (status < 300 || status >= 400) this.#lastDocument = { url: response.url(), status };
    });
  }

  /** Runs the sign-in; the access token the frontend stored, or a LoginFailure. */
  async run(): Promise<string> {
    const { page, until, origins } = this.#o;
    await this.#open();
    const signIn = page
      .getByRole('link', { name: SIGN_IN })
      .or(page.getByRole('button', { name: SIGN_IN }))
      .first();
    try {
      await until(signIn.waitFor({ state: 'visible', timeout: STEP_MS }));
    } catch (err) {
      if (this.#stopping(err)) throw err;
      throw new LoginFailure(
        'LOGIN_REJECTED',
        `the frontend page "${await pageTitle(page)}" (${safeUrl(page.url())}) shows no "Sign in with Google" control`,
      );
    }
    await this.#act(() => signIn.click());

    for (let turn = 0; turn < MAX_PAGES; turn++) {
      const url = page.url();
      const role = roleOf(url, origins);
      if (role === 'browser error page') throw this.#unreachable();
      if (role === 'frontend') return this.#tokenOrFailure(url);
      if (role === 'auth service') throw await this.#authPage(url);
      await this.#providerTurn(url);
    }
    throw new LoginFailure(
      'LOGIN_REJECTED',
      `the sign-in did not reach the frontend after ${MAX_PAGES} pages; it was at the ` +
        `${roleOf(page.url(), origins)} page "${await pageTitle(page)}" (${safeUrl(page.url())})`,
    );
  }

  async #open(): Promise<void> {
    const { page, until, frontendUrl } = this.#o;
    let status: number | undefined;
    try {
      status = (await until(page.goto(frontendUrl, { waitUntil: 'domcontentloaded', timeout: STEP_MS })))?.status();
    } catch (err) {
      if (this.#stopping(err)) throw err;
      throw this.#unreachable(err);
    }
    if (status !== undefined && status >= 400) {
      throw new LoginFailure(
        status >= 500 ? 'LOGIN_UNAVAILABLE' : 'LOGIN_REJECTED',
        `the frontend answered ${status} at ${safeUrl(frontendUrl)}`,
        { httpStatus: status },
      );
    }
  }

  /** One identity provider page: sign-in (email, password), consent, or something the flow cannot pass. */
  async #providerTurn(url: string): Promise<void> {
    const { page, email } = this.#o;
    const status = this.#statusOf(url);
    if (status !== undefined && status >= 500) {
      throw new LoginFailure(
        'LOGIN_UNAVAILABLE',
        `the identity provider answered ${status} at ${safeUrl(url)}: ${await bodyText(page)}`,
        { httpStatus: status },
      );
    }
    const password = page.locator(PASSWORD).first();
    const identifier = page.locator(IDENTIFIER).first();
    if ((await password.count()) > 0) {
      this.#annotate('sign-in');
      if (this.#passwordTries > 0) throw await this.#refused('password');
      if ((await identifier.count()) > 0 && (await identifier.inputValue()) !== email) await identifier.fill(email);
      await password.fill(this.#o.password.reveal());
      this.#passwordTries++;
      await this.#act(() => this.#submit(password));
      return;
    }
    if ((await identifier.count()) > 0) {
      this.#annotate('sign-in');
      if (this.#emailTries > 0) throw await this.#refused('email');
      await identifier.fill(email);
      this.#emailTries++;
      await this.#act(() => this.#submit(identifier));
      return;
    }
    const consent = page.getByRole('button', { name: CONSENT }).first();
    if ((await consent.count()) > 0 && (await consent.isVisible())) {
      this.#annotate('consent');
      if (this.#consentTries > 1)
        throw await this.#stuck('the consent page did not move on after its button was clicked twice');
      this.#consentTries++;
      await this.#act(() => consent.click());
      return;
    }
    if (!(await this.#nextNavigation(SETTLE_MS))) {
      throw await this.#stuck(
        `the page${status === undefined ? '' : ` (HTTP ${status})`} offers neither a sign-in form nor a consent button`,
      );
    }
  }

  /** Says what the current page turned out to be, in the trail. */
  #annotate(kind: string): void {
    const last = this.trail.at(-1);
    if (last !== undefined && !last.endsWith(')')) this.trail[this.trail.length - 1] = `${last} (${kind})`;
  }

  async #submit(field: Locator): Promise<void> {
    const { page } = this.#o;
    const typed = page.locator('button[type="submit"]:visible, input[type="submit"]:visible').first();
    const named = page.getByRole('button', { name: SUBMIT }).first();
    if ((await typed.count()) > 0) await typed.click();
    else if ((await named.count()) > 0) await named.click();
    else await field.press('Enter');
  }

  /**
   * Does something that should lead to another page, then waits for the page to change, or (for pages
   * that answer in place, as Google's password page does) for an error message to appear.
   */
  async #act(action: () => Promise<unknown>): Promise<void> {
    const { page, until } = this.#o;
    const before = this.#navigations;
    const hadMessage = (await page.locator(`${MESSAGE_SELECTOR}`).filter({ visible: true }).count()) > 0;
    const navigated = this.#nextNavigation(STEP_MS, before);
    const message = hadMessage
      ? new Promise<never>(() => undefined)
      : page.locator(MESSAGE_SELECTOR).filter({ visible: true }).first().waitFor({ timeout: STEP_MS });
    await until(action());
    await until(Promise.race([navigated, message]).catch(() => undefined));
    await until(page.waitForLoadState('domcontentloaded', { timeout: STEP_MS })).catch((err: unknown) => {
      if (this.#stopping(err)) throw err;
    });
  }

  /** True once the main frame commits a navigation after the count `since`, false after `ms`. */
  async #nextNavigation(ms: number, since = this.#navigations): Promise<boolean> {
    const { page, until } = this.#o;
    if (this.#navigations > since) return true;
    try {
      await until(page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: ms }));
      return true;
    } catch (err) {
      if (this.#stopping(err)) throw err;
      return this.#navigations > since;
    }
  }

  /** On the frontend: the token it stored, or why there is none (its /auth/error page, or nothing). */
  async #tokenOrFailure(url: string): Promise<string> {
    const { page } = this.#o;
    const path = new URL(url).pathname;
    const onError = path.startsWith('/auth/error');
    const token = await this.#storedToken(onError ? 0 : TOKEN_WAIT_MS);
    if (token !== undefined) return token;
    const shown = (await visibleMessage(page)) ?? (await bodyText(page));
    if (onError) {
      const error = new URL(url).searchParams.get('error') ?? 'none given';
      const after = this.trail.length >= 2 ? ` after ${this.trail.at(-2)}` : '';
      throw new LoginFailure(
        'LOGIN_REJECTED',
        `the sign-in ended on the frontend's error page "${await pageTitle(page)}" (${safeUrl(url)})${after}: ` +
          `error=${clip(error)}; it shows "${shown}"`,
      );
    }
    throw new LoginFailure(
      'LOGIN_REJECTED',
      `the frontend page "${await pageTitle(page)}" (${safeUrl(url)}) holds no token in localStorage ${TOKEN_KEY}; ` +
        `it shows "${shown}"`,
    );
  }

  async #storedToken(waitMs: number): Promise<string | undefined> {
    const { page, until } = this.#o;
    const deadline = performance.now() + waitMs;
    for (;;) {
      // During the frontend's own redirect the page's context may be gone for a moment: try again.
      const token = await until(page.evaluate((key) => localStorage.getItem(key), TOKEN_KEY)).catch((err: unknown) => {
        if (this.#stopping(err)) throw err;
        return null;
      });
      if (typeof token === 'string' && token !== '') return token;
      if (performance.now() >= deadline) return undefined;
      await until(new Promise((resolve) => setTimeout(resolve, 100)));
    }
  }

  /** A page the auth service rendered itself: its redirects never stop here, so it is an error answer. */
  async #authPage(url: string): Promise<LoginFailure> {
    const status = this.#statusOf(url) ?? 0;
    const text = await bodyText(this.#o.page);
    const code = status === 0 || status >= 500 ? 'LOGIN_UNAVAILABLE' : 'LOGIN_REJECTED';
    return new LoginFailure(
      code,
      `the auth service answered ${status || 'without a status'} at ${safeUrl(url)}: ${text || '(empty page)'}`,
      { httpStatus: status || undefined },
    );
  }

  async #refused(what: 'email' | 'password'): Promise<LoginFailure> {
    const { page } = this.#o;
    const shown = (await visibleMessage(page)) ?? 'no message shown';
    return new LoginFailure(
      'LOGIN_REJECTED',
      `the identity provider's sign-in page "${await pageTitle(page)}" (${safeUrl(page.url())}) did not accept the ` +
        `test user's ${what}: "${shown}"`,
    );
  }

  async #stuck(why: string): Promise<LoginFailure> {
    const { page } = this.#o;
    const shown = (await visibleMessage(page)) ?? (await bodyText(page));
    return new LoginFailure(
      'LOGIN_REJECTED',
      `the sign-in stopped at the identity provider page "${await pageTitle(page)}" (${safeUrl(page.url())}): ` +
        `${why}; it shows "${shown}"`,
    );
  }

  /** The browser could not load a page: which service, where, and Chromium's network error. */
  #unreachable(err?: unknown): LoginFailure {
    const failed = this.#failedNavigation;
    const target = failed?.url ?? this.#o.frontendUrl;
    const role: PageRole = roleOf(target, this.#o.origins);
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    const error =
      failed?.error ?? netErrorOf(err) ?? (timedOut ? `no answer within ${STEP_MS / 1000} s` : 'no page loaded');
    return new LoginFailure('LOGIN_UNAVAILABLE', `the ${role} could not be reached at ${safeUrl(target)}: ${error}`);
  }

  #statusOf(url: string): number | undefined {
    return this.#lastDocument?.url === url ? this.#lastDocument.status : undefined;
  }

  /** An error that means the hop is ending (not a page problem): let it through untouched. */
  #stopping(err: unknown): boolean {
    return err instanceof HopEnded;
  }
}

/** What `until` rejects with when the hop's signal fires. */
export class HopEnded extends Error {
  constructor() {
    super('the login hop ended before the sign-in finished');
    this.name = 'HopEnded';
  }
}
