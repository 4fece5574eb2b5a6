// Shared helpers for the double's tests: a running double per test, login and validate calls, and a
// WebSocket client that collects frames, the upgrade status and the close code. Not a test file itself.

import type { ClientOptions } from 'ws';
import { WebSocket } from 'ws';
import type { DoubleOptions, FaultName, RunningDouble } from '../../src/double/index.ts';
import { startDouble } from '../../src/double/index.ts';

// Test-only values, made up here; nothing is copied from anywhere.
export const CREDS = {
  bypassKey: 'test-bypass-key-double-0001',
  userEmail: 'probe-user@example.test',
  userPassword: 'probe-password-0001',
  serviceSecret: 'test-service-secret-0001',
  jwtSecret: 'test-jwt-secret-for-the-double-0000000001',
} as const;

export async function withDouble<T>(
  fault: FaultName,
  fn: (d: RunningDouble) => Promise<T>,
  extra: Partial<DoubleOptions> = {},
): Promise<T> {
  const d = await startDouble({ fault, credentials: { ...CREDS }, slowAgentMs: 400, ...extra });
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}

export type Json = Record<string, unknown>;

// The load balancer's GCLB cookie per origin (host:port), kept and sent back as a browser does, so these helpers
// stay on one backend instance. A test that sets its own `cookie` header (or '' for none) bypasses the jar.
const jar = new Map<string, string>();
const originKey = (url: string) => new URL(url).host;

function withCookie(url: string, headers: Record<string, string>): Record<string, string> {
  if (Object.keys(headers).some((h) => h.toLowerCase() === 'cookie')) return headers;
  const cookie = jar.get(originKey(url));
  return cookie === undefined ? headers : { ...headers, cookie };
}

/** Keeps the name=value of a GCLB Set-Cookie (the attributes stay with the client, not the request). */
export function keepCookie(url: string, setCookies: readonly string[]): void {
  for (const sc of setCookies) {
    const pair = sc.split(';')[0]?.trim() ?? '';
    if (pair.startsWith('GCLB=')) jar.set(originKey(url), pair);
  }
}

async function call(url: string, init: { method?: string; headers: Record<string, string>; body?: string }) {
  const res = await fetch(url, { ...init, headers: withCookie(url, init.headers) });
  keepCookie(url, res.headers.getSetCookie());
  return res;
}

export async function postJson(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await call(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  let json: Json | undefined;
  try {
    json = JSON.parse(text) as Json;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, contentType: res.headers.get('content-type') };
}

export async function getJson(url: string, headers: Record<string, string> = {}) {
  const res = await call(url, { headers });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as Json };
}

export async function e2eLogin(d: RunningDouble, body = '{}') {
  return postJson(`${d.authUrl}/auth/e2e/test-auth`, body, { 'X-E2E-Bypass-Key': CREDS.bypassKey });
}

/** A fresh access token from the e2e endpoint (fails the test if login fails). */
export async function accessToken(d: RunningDouble): Promise<string> {
  const r = await e2eLogin(d);
  const token = r.json?.access_token;
  if (r.status !== 200 || typeof token !== 'string') throw new Error(`login failed: ${r.status} ${r.text}`);
  return token;
}

export async function validate(d: RunningDouble, token: string, service?: { id: string; secret: string }) {
  const headers: Record<string, string> =
    service === undefined ? {} : { 'X-Service-ID': service.id, 'X-Service-Secret': service.secret };
  return postJson(`${d.authUrl}/auth/validate`, JSON.stringify({ token }), headers);
}

export function decodePayload(jwt: string): Json {
  const part = jwt.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Json;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export interface ReceivedFrame {
  atMs: number;
  frame: Json;
}

export interface WsClient {
  ws: WebSocket;
  frames: ReceivedFrame[];
  /** 101 on success, else the HTTP status of the refused upgrade. */
  upgrade: Promise<number>;
  closed: Promise<{ code: number; reason: string }>;
  next(pred: (f: Json) => boolean, timeoutMs?: number): Promise<Json>;
  send(frame: unknown): void;
}

export function connectWs(
  url: string,
  opts: { protocols?: string[]; headers?: Record<string, string> } = {},
): WsClient {
  const clientOpts: ClientOptions = { headers: withCookie(url, opts.headers ?? {}) };
  const ws = new WebSocket(url, opts.protocols ?? [], clientOpts);
  const t0 = performance.now();
  const frames: ReceivedFrame[] = [];
  const waiters: Array<{ pred: (f: Json) => boolean; resolve: (f: Json) => void }> = [];
  let resolveUpgrade!: (s: number) => void;
  const upgrade = new Promise<number>((r) => (resolveUpgrade = r));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') }));
  });
  ws.on('upgrade', (res) => {
    const sc = res.headers['set-cookie'];
    keepCookie(url, Array.isArray(sc) ? sc : sc === undefined ? [] : [sc]);
  });
  ws.on('open', () => resolveUpgrade(101));
  ws.on('unexpected-response', (_req, res) => {
    resolveUpgrade(res.statusCode ?? 0);
    res.resume();
    ws.terminate();
  });
  ws.on('error', () => resolveUpgrade(0));
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Json;
    frames.push({ atMs: performance.now() - t0, frame });
    for (const w of [...waiters]) {
      if (w.pred(frame)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(frame);
      }
    }
  });
  return {
    ws,
    frames,
    upgrade,
    closed,
    send: (frame) => ws.send(JSON.stringify(frame)),
    next(pred, timeoutMs = 2000) {
      const seen = frames.find((f) => pred(f.frame));
      if (seen !== undefined) return Promise.resolve(seen.frame);
      return new Promise<Json>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for a frame')), timeoutMs);
        waiters.push({
          pred,
          resolve: (f) => {
            clearTimeout(timer);
            resolve(f);
          },
        });
      });
    },
  };
}

export const byType = (type: string) => (f: Json) => f.type === type;

export function startAgent(client: WsClient, threadId = 'thread-1'): void {
  client.send({
    type: 'start_agent',
    payload: { user_request: 'How are my costs?', thread_id: threadId },
    thread_id: threadId,
  });
}

/** Event names from `type` or, in fallback envelopes, `data.type`. */
export function eventName(f: Json): string {
  const data = f.data;
  const inner = typeof data === 'object' && data !== null ? (data as Json).type : undefined;
  return typeof inner === 'string' ? inner : String(f.type);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
