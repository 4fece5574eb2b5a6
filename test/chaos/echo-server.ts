// The hostile echo server of test/chaos/echo-every-form.test.ts (not a test file): ONE loopback server that
// plays every service a case points at it (auth service, backend REST and WebSocket, Google's APIs, the
// frontend's pages), chosen by the URL's first segments (/m/<mode>/…). Whatever a request carried (every header
// value, the query, the body and its JSON strings) comes back in every encoding of echo-encodings.ts, plus
// secret-shaped text (a refresh_token= field, a database URL with its password, "password": …), padded so that
// it lies across the cut that bounds it (1 MiB, the upgrade body's 2048, the 200-char quote).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { ECHO_ENCODINGS } from './echo-encodings.ts';

const MIB = 1024 * 1024;

export interface EchoSecrets {
  bypassKey: string;
  userPassword: string;
  serviceSecret: string;
  /** Known to a hostile server in the test: the Google token and a session cookie it set. */
  googleToken: string;
  cookie: string;
}

export interface EchoServer {
  url: string;
  wsUrl: string;
  /** Every value any request carried (header values, Bearer tokens, JSON strings): what a WebSocket echoes later. */
  recalled: Set<string>;
  /** Tokens this server issued (access and refresh): secrets the probe must never show either. */
  issued: Set<string>;
  /** Header and body values received, by header name or `body`: proof the probe sent its secrets here. */
  received: Set<string>;
  echoes: number;
  close(): Promise<void>;
}

/** Everything one request carried: header values (and a Bearer's token alone), query values, body and its strings. */
function materialOf(req: IncomingMessage, body: string): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (['host', 'content-length', 'connection', 'accept', 'content-type', 'traceparent'].includes(name)) continue;
    for (const v of Array.isArray(value) ? value : [value ?? '']) {
      out.push(v);
      const scheme = /^(?:Bearer|Basic)\s+(.+)$/i.exec(v);
      if (scheme) out.push(scheme[1]!);
      for (const p of v.split(',').map((s) => s.trim()))
        if (p.startsWith('jwt.')) out.push(Buffer.from(p.slice(4), 'base64url').toString('utf8'));
    }
  }
  for (const [, v] of new URL(req.url ?? '/', 'http://x').searchParams) out.push(v);
  if (body) out.push(body);
  try {
    JSON.stringify(JSON.parse(body), (_k, v: unknown) => {
      if (typeof v === 'string') out.push(v);
      return v;
    });
  } catch {
    // not JSON
  }
  return out.filter((v) => v.length >= 8);
}

/** Secrets the probe never knew, in shapes a log line of staging may hold: only a shape scrub takes them out. */
export const FOREIGN = {
  token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzb21lb25lLWVsc2UifQ.c29tZW9uZS1lbHNlcy1zaWduYXR1cmUtMDEyMzQ1',
  dbPassword: 'someone-elses-Pa55w0rd',
  clientSecret: 'another-s3cr3t-value',
} as const;

/** Every material in every wire form, and the shapes a log line of staging may hold. */
function echoOf(material: string[], secrets: EchoSecrets, _issued: Set<string>): string {
  const lines: string[] = [];
  // The raw forms come first: a cut just after the padding falls inside the first secret.
  for (const m of material) lines.push(m);
  for (const m of material) for (const e of ECHO_ENCODINGS) lines.push(`${e.name}: ${e.encode(m)}`);
  lines.push(
    `ECHO-MARK refresh_token=${FOREIGN.token}&next=1`,
    `could not connect to postgres://app:${FOREIGN.dbPassword}@10.0.0.3:5432/netra`,
    JSON.stringify({ user: 'someone', password: FOREIGN.dbPassword, client_secret: FOREIGN.clientSecret }),
    `Authorization: Bearer ${secrets.googleToken} cookie: session=${secrets.cookie}`,
  );
  return lines.join('\n');
}

function issueToken(kind: string, n: number): string {
  const now = Math.floor(Date.now() / 1000);
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const sig = Buffer.from(`echo-server-${kind}-signature-${n}-${Math.random()}`).toString('base64url');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: `echo-user-${n}`, email: 'echo-user@staging.netrasystems.ai', iat: now, exp: now + 1800, token_type: kind, iss: 'netra-auth-service', aud: 'netra-platform' })}.${sig}`;
}

export async function startEchoServer(secrets: EchoSecrets): Promise<EchoServer> {
  const issued = new Set<string>();
  const received = new Set<string>();
  const state = { echoes: 0 };
  let n = 0;

  const recalled = new Set<string>();
  const refreshOf = new Map<string, string>();
  const respond = (req: IncomingMessage, res: ServerResponse, body: string) => {
    for (const v of materialOf(req, body)) recalled.add(v);
    const url = new URL(req.url ?? '/', 'http://x');
    const [, m, mode, ...rest] = url.pathname.split('/');
    const path = `/${rest.join('/')}`;
    for (const [name, v] of Object.entries(req.headers)) if (typeof v === 'string') received.add(`${name}: ${v}`);
    received.add(`body: ${body}`);
    const echo = echoOf(materialOf(req, body), secrets, issued);
    state.echoes++;
    const headers = {
      'set-cookie': `session=${secrets.cookie}; Path=/; HttpOnly`,
      'x-echo': Buffer.from(echo.slice(0, 2000)).toString('base64'),
    };
    const json = (status: number, value: unknown) =>
      res.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (m !== 'm') return json(404, { detail: `no mode: ${echo}` });

    switch (mode) {
      // A login refused: the echo as the whole body (text), or after 1 MiB less 10 characters of padding.
      case 'reject':
        return res.writeHead(401, { ...headers, 'content-type': 'text/plain' }).end(echo);
      case 'reject-cut':
        return res.writeHead(401, { ...headers, 'content-type': 'text/plain' }).end(`${' '.repeat(MIB - 10)}${echo}`);
      // FastAPI's shape: {"detail": …}, the echo 180 characters in (across the 200-character quote).
      case 'error':
        return json(500, { detail: `${'p'.repeat(180)}${echo}` });
      // An auth service that issues tokens and then echoes everything it is asked.
      case 'issue': {
        if (path === '/auth/e2e/test-auth' || path === '/auth/login') {
          const access = issueToken('access', ++n);
          const refresh = issueToken('refresh', n);
          issued.add(access);
          issued.add(refresh);
          refreshOf.set(access, refresh);
          return json(200, { access_token: access, refresh_token: refresh, token_type: 'bearer', expires_in: 1800 });
        }
        if (path === '/auth/validate') return json(200, { valid: false, error: 'invalid_token', message: echo });
        return json(200, { status: echo });
      }
      // Staging's backend refusing everything, echoing the request (the token among it).
      case 'backend':
        return json(403, { detail: echo });
      // Google's APIs: errors quoting the request (the Google token), and error logs quoting secrets.
      case 'google': {
        if (path.endsWith('/entries:list')) {
          const at = new Date().toISOString();
          const entry = (payload: Record<string, unknown>) => ({
            ...payload,
            severity: 'ERROR',
            timestamp: at,
            resource: { type: 'cloud_run_revision', labels: { service_name: 'netra-backend-staging' } },
          });
          return json(200, {
            entries: [entry({ textPayload: echo }), entry({ jsonPayload: { message: `${'p'.repeat(250)}${echo}` } })],
          });
        }
        return json(400, { error: { code: 400, status: 'FAILED_PRECONDITION', message: echo } });
      }
      // The frontend's page: the echo as its title, its alert and its text.
      case 'page': {
        // A browser sends the frontend no secret: the page quotes the ones a hostile server knows anyway.
        const known = echoOf([secrets.userPassword, secrets.bypassKey, ...materialOf(req, body)], secrets, issued);
        const text = known.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
        return res
          .writeHead(500, { ...headers, 'content-type': 'text/html; charset=utf-8' })
          .end(
            `<!doctype html><title>${text.slice(0, 300)}</title><body><div role="alert">${text}</div><pre>${text}</pre></body>`,
          );
      }
      default:
        return json(404, { detail: echo });
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => respond(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  // The WebSocket: /m/backend/… refuses the upgrade with the echo across the 2048-character cut of the kept body;
  // /m/ws-echo/… opens, then sends every value any request carried, one frame per value and encoding (the
  // transcript keeps whole frames: every form reaches the reports), then an agent error and a close.
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => [...protocols][0] ?? false });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    for (const [name, v] of Object.entries(req.headers)) if (typeof v === 'string') received.add(`${name}: ${v}`);
    const material = materialOf(req, '');
    for (const v of material) recalled.add(v);
    if ((req.url ?? '').startsWith('/m/ws-echo/')) {
      wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
        state.echoes++;
        // This run's token (and its refresh token); another run's tokens are secrets this probe never knew.
        const mine = material.filter((v) => issued.has(v)).flatMap((v) => [v, refreshOf.get(v) ?? v]);
        const values = [...new Set([...[...recalled].filter((v) => configured(v)), ...mine])];
        for (const v of values) for (const e of ECHO_ENCODINGS) ws.send(`${e.name}: ${e.encode(v)}`);
        const data = { user_id: 'echo-user', connection_id: 'echo-connection', echo: values };
        ws.send(JSON.stringify({ type: 'connection_established', data, timestamp: Date.now() / 1000 }));
        ws.once('message', () => {
          ws.send(
            JSON.stringify({
              type: 'error_message',
              error_code: 'AGENT_ERROR',
              error_message: echoOf(values, secrets, issued),
            }),
          );
          ws.close(1011, 'echo done');
        });
      });
      return;
    }
    const echo = echoOf(materialOf(req, ''), secrets, issued);
    state.echoes++;
    const body = `${'u'.repeat(2048 - 10)}${echo}`;
    socket.end(
      `HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `connection: close\r\n\r\n${body}`,
    );
  });
  /** The configured secrets (as the probe sent them) are worth a frame each; user agents and handshake keys not. */
  const configured = (v: string) =>
    [secrets.bypassKey, secrets.userPassword, secrets.serviceSecret, secrets.googleToken].includes(v);
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    issued,
    received,
    recalled,
    get echoes() {
      return state.echoes;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        for (const c of wss.clients) c.terminate();
        server.close(() => r());
      }),
  };
}
