// Hop 1 with --login browser: a real user's Google sign-in through Debian's Chromium
// (docs/netra-protocol-notes.md §1b, docs/browser-mode.md). This module is the only one that imports
// playwright-core, and src/hops/login.ts imports it dynamically, so the API login modes never load Playwright.
//
// The browser is closed on every path: success, a failed sign-in, the hop's budget, the run deadline and
// SIGTERM (all of which abort ctx.signal). Evidence is taken before it closes.

import type { Context } from '@opentelemetry/api';
import { context, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { Secret } from '../config/secret.ts';
import type { HopContext, HopOutcome } from '../hops/hop-contract.ts';
import { probeTracer } from '../telemetry/tracer.ts';
import type { LaunchedChromium } from './chromium.ts';
import { ChromiumUnavailable, launchChromium } from './chromium.ts';
import { LoginFailure, netErrorOf } from './login-failure.ts';
import { HopEnded, LoginFlow, TOKEN_KEY } from './login-flow.ts';
import type { NavigationTracing } from './navigation-tracing.ts';
import { traceNavigations } from './navigation-tracing.ts';
import type { Origins } from './page-evidence.ts';
import { captureFailurePage } from './page-evidence.ts';

/** A promise that rejects with HopEnded when the signal fires, and `until`, which races a wait against it. */
function hopEnd(signal: AbortSignal) {
  let ended!: Promise<never>;
  if (signal.aborted) ended = Promise.reject(new HopEnded());
  else
    ended = new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(new HopEnded()), { once: true }),
    );
  ended.catch(() => undefined);
  return { ended, until: <T>(p: Promise<T>): Promise<T> => Promise.race([p, ended]) };
}

async function launchTraced(executablePath: string, parent: Context): Promise<LaunchedChromium> {
  const span = probeTracer().startSpan(
    'browser.launch',
    { kind: SpanKind.INTERNAL, attributes: { 'probe.browser.executable': executablePath } },
    parent,
  );
  try {
    const launched = await launchChromium(executablePath);
    span.setAttribute('probe.browser.sandbox', launched.sandboxed);
    return launched;
  } catch (err) {
    span.setAttribute('error.type', err instanceof Error ? err.name : 'Error');
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw err;
  } finally {
    span.end();
  }
}

export async function browserLogin(ctx: HopContext): Promise<HopOutcome> {
  // The login hop's span: the parent of the launch and navigation spans.
  const parent = context.active();
  const { config } = ctx;
  if (config.frontendUrl === undefined || config.userEmail === undefined || config.userPassword === undefined) {
    // The configuration check requires all three for --login browser; this is its type-level echo.
    return {
      status: 'fail',
      code: 'LOGIN_UNAVAILABLE',
      evidence: ['--login browser needs --frontend-url, PROBE_USER_EMAIL and PROBE_USER_PASSWORD'],
    };
  }
  const origins: Origins = { frontend: new URL(config.frontendUrl).origin, auth: new URL(config.authUrl).origin };
  const { until } = hopEnd(ctx.signal);

  // Kept outside `until`: a launch the hop stopped waiting for still yields a browser to close.
  const launching = launchTraced(config.chromiumPath, parent);
  let browser: LaunchedChromium | undefined;
  let tracing: NavigationTracing | undefined;
  let flow: LoginFlow | undefined;
  try {
    browser = await until(launching);
    if (!browser.sandboxed)
      ctx.log.warn(
        { event: 'browser.no_sandbox' },
        'login: Chromium runs with --no-sandbox because the probe runs as root; run it as a user (the image ' +
          'runs as uid 1000) to keep the sandbox',
      );
    browser.context.setDefaultTimeout(config.timeoutMs);
    tracing = await until(traceNavigations(browser.page, { parent, authOrigin: origins.auth }));
    flow = new LoginFlow({
      page: browser.page,
      frontendUrl: config.frontendUrl,
      origins,
      email: config.userEmail,
      password: config.userPassword,
      until,
    });
    const token = await until(flow.run());
    ctx.state.accessToken = new Secret(token);
    return {
      status: 'pass',
      evidence: [
        `browser sign-in with Google passed; access token taken from the frontend's localStorage ${TOKEN_KEY}`,
        `pages: ${flow.trail.join(' → ')}`,
      ],
    };
  } catch (err) {
    const first = describeFailure(err, ctx.signal, config.chromiumPath);
    const evidence = [first.message];
    if (flow && flow.trail.length > 0) evidence.push(`pages: ${flow.trail.join(' → ')}`);
    let artifacts: string[] = [];
    if (browser) {
      const capture = await captureFailurePage(browser.page, origins, {
        dir: config.artifactsDir,
        runId: ctx.runId,
      }).catch(() => undefined);
      if (capture) {
        evidence.push(...capture.lines);
        artifacts = capture.artifacts;
      }
    }
    return {
      status: 'fail',
      code: first.code,
      ...(first.httpStatus === undefined ? {} : { httpStatus: first.httpStatus }),
      evidence,
      ...(artifacts.length > 0 ? { artifacts } : {}),
    };
  } finally {
    tracing?.stop();
    await (browser ?? (await launching.catch(() => undefined)))?.close();
  }
}

function describeFailure(err: unknown, signal: AbortSignal, chromiumPath: string): LoginFailure {
  if (err instanceof LoginFailure) return err;
  if (err instanceof ChromiumUnavailable) {
    return new LoginFailure(
      'LOGIN_UNAVAILABLE',
      `${err.message}. This is the probe's own environment, not the auth service: run the image's browser target ` +
        `or set PROBE_CHROMIUM_PATH (now ${chromiumPath})`,
    );
  }
  if (err instanceof HopEnded || signal.aborted) {
    const reason = signal.reason as { name?: unknown } | undefined;
    const timedOut = reason?.name === 'TimeoutError';
    return new LoginFailure(
      'LOGIN_UNAVAILABLE',
      timedOut
        ? 'the browser sign-in did not finish before the deadline (the login hop budget or --timeout-ms)'
        : 'the browser sign-in was stopped before it finished',
    );
  }
  if (
    err instanceof Error &&
    (err.name === 'TimeoutError' || /^(page|locator|frame|browserContext|elementHandle)\./.test(err.message))
  ) {
    // A Playwright step that failed without a page to explain it. Its message can quote URLs with
    // tokens in their query, so only the error's kind goes into the report.
    const net = netErrorOf(err);
    return new LoginFailure('LOGIN_UNAVAILABLE', `a browser step failed (${err.name}${net ? `, ${net}` : ''})`);
  }
  throw err;
}
