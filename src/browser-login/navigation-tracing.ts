// Spans for what the browser fetches during the login, and the trace context on its requests to the
// auth service. Chromium's Fetch domain pauses every document request (each hop of a redirect chain
// separately) and every request to the auth service's origin; each becomes a CLIENT span under the
// login hop's span, with the stable HTTP attributes (url.full without the query: OAuth queries carry
// codes and tokens). A request to the auth service leaves with that span's `traceparent`, so the auth
// service's SERVER span joins the probe's trace; every other origin (the identity provider, the
// frontend) gets its request headers back without one, also when Chromium would carry a header over
// from the previous hop of a redirect. The Network domain reports how each hop ended.
//
// Playwright's page.route is not used: it is not called for the hops of a redirect and it carries
// changed headers across a redirect to another origin.

import type { Context, Span } from '@opentelemetry/api';
import { propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { CDPSession, Page } from 'playwright-core';
import { probeTracer } from '../telemetry/tracer.ts';
import { pathTemplate } from './safe-url.ts';

export interface NavigationTracing {
  /** Ends the spans still open (the browser is about to close) and stops listening. */
  stop(): void;
}

export interface NavigationTracingOptions {
  /** Context holding the login hop's span. */
  parent: Context;
  authOrigin: string;
}

const TRACE_HEADERS = new Set(['traceparent', 'tracestate', 'baggage']);

/** The fields of CDP's Fetch.requestPaused this module reads. */
interface PausedRequest {
  requestId: string;
  networkId?: string;
  resourceType: string;
  request: { url: string; method: string; headers: object };
}

export async function traceNavigations(page: Page, opts: NavigationTracingOptions): Promise<NavigationTracing> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const tracer = probeTracer();
  // Network request id -> spans not yet ended, oldest first: one per hop of a redirect chain.
  const open = new Map<string, Span[]>();
  let stopped = false;

  const endOldest = (networkId: string, end: (span: Span) => void) => {
    const spans = open.get(networkId);
    const span = spans?.shift();
    if (span === undefined) return;
    if (spans?.length === 0) open.delete(networkId);
    end(span);
    span.end();
  };
  const withStatus = (status: number) => (span: Span) => {
    span.setAttribute('http.response.status_code', status);
    if (status >= 400) {
      span.setAttribute('error.type', String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  };

  const onPaused = async (e: PausedRequest) => {
    const headers = Object.entries(e.request.headers as Record<string, unknown>)
      .filter(([name]) => !TRACE_HEADERS.has(name.toLowerCase()))
      .map(([name, value]) => ({ name, value: String(value) }));
    try {
      const url = new URL(e.request.url);
      if (!stopped && (url.protocol === 'http:' || url.protocol === 'https:')) {
        const span = tracer.startSpan(
          `${e.request.method} ${pathTemplate(url.href)}`,
          {
            kind: SpanKind.CLIENT,
            attributes: {
              'http.request.method': e.request.method,
              'url.full': `${url.origin}${url.pathname}`,
              'server.address': url.hostname,
              'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
              'probe.browser.resource_type': e.resourceType,
            },
          },
          opts.parent,
        );
        if (e.networkId !== undefined) open.set(e.networkId, [...(open.get(e.networkId) ?? []), span]);
        else span.end();
        if (url.origin === opts.authOrigin) {
          const carrier: Record<string, string> = {};
          propagation.inject(trace.setSpan(opts.parent, span), carrier);
          for (const [name, value] of Object.entries(carrier)) headers.push({ name, value });
        }
      }
    } finally {
      // A paused request that is never continued hangs the page: continue whatever happened above.
      await cdp.send('Fetch.continueRequest', { requestId: e.requestId, headers }).catch(() => undefined);
    }
  };

  cdp.on('Fetch.requestPaused', (e) => void onPaused(e));
  cdp.on('Network.requestWillBeSent', (e) => {
    if (e.redirectResponse) endOldest(e.requestId, withStatus(e.redirectResponse.status));
  });
  cdp.on('Network.responseReceived', (e) => endOldest(e.requestId, withStatus(e.response.status)));
  cdp.on('Network.loadingFailed', (e) =>
    endOldest(e.requestId, (span) => {
      // A navigation the page itself replaced is canceled, not failed.
      span.setAttribute('error.type', e.canceled ? 'aborted' : e.errorText);
      if (!e.canceled) span.setStatus({ code: SpanStatusCode.ERROR, message: e.errorText });
    }),
  );
  await cdp.send('Network.enable');
  await cdp.send('Fetch.enable', {
    patterns: [
      { urlPattern: '*', resourceType: 'Document', requestStage: 'Request' },
      { urlPattern: `${opts.authOrigin}/*`, requestStage: 'Request' },
    ],
  });

  return {
    stop() {
      if (stopped) return;
      stopped = true;
      for (const spans of open.values()) {
        for (const span of spans) {
          span.setAttribute('error.type', 'aborted');
          span.end();
        }
      }
      open.clear();
      void cdp.detach().catch(() => undefined);
    },
  };
}
