// Real loopback servers for the leak test: a recording front for the double's auth service (it learns the
// tokens the double issues), and hostile stand-ins for the auth service, the backend and the WebSocket
// endpoint that echo back what the probe sent them: the bypass key, the password, the service secret, the
// Authorization header, the token's signature part, the `jwt.<base64url>` subprotocol.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * What the probe sent to the test's servers, and which tokens exist: the leak test's needles and its proof of
 * non-vacuity.
 */
export class Witness {
  /** Secret values as received, by label: 'bypass key', 'password', 'service secret'. */
  readonly sent = new Map<string, Set<string>>();
  /**
   * Access tokens: issued by the double (seen through the recording front) or received (Bearer, subprotocol,
   * /auth/validate body).
   */
  readonly tokens = new Set<string>();
  readonly refreshTokens = new Set<string>();
  /** Responses, frames and close reasons that carried back something secret the probe had sent. */
  echoes = 0;

  note(req: IncomingMessage, body: string): void {
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const key = header('x-e2e-bypass-key');
    if (key) this.#add('bypass key', key);
    const serviceSecret = header('x-service-secret');
    if (serviceSecret) this.#add('service secret', serviceSecret);
    const bearer = /^Bearer (.+)$/.exec(header('authorization') ?? '')?.[1];
    if (bearer) this.tokens.add(bearer);
    for (const p of (header('sec-websocket-protocol') ?? '').split(',')) {
      const proto = p.trim();
      if (proto.startsWith('jwt.')) this.tokens.add(Buffer.from(proto.slice(4), 'base64url').toString('utf8'));
    }
    const json = parse(body);
    if (typeof json?.password === 'string') this.#add('password', json.password);
    if (typeof json?.token === 'string') this.tokens.add(json.token);
  }

  noteIssued(body: string): void {
    const json = parse(body);
    if (typeof json?.access_token === 'string') this.tokens.add(json.access_token);
    if (typeof json?.refresh_token === 'string') this.refreshTokens.add(json.refresh_token);
  }

  /** Every secret value seen so far: what a hostile server "remembers" and echoes later (e.g. in /health). */
  recall(): string[] {
    return [...[...this.sent.values()].flatMap((s) => [...s]), ...this.tokens, ...this.refreshTokens];
  }

  lastToken(): string | undefined {
    return [...this.tokens].at(-1);
  }

  #add(label: string, value: string): void {
    let set = this.sent.get(label);
    if (!set) {
      set = new Set();
      this.sent.set(label, set);
    }
    set.add(value);
  }
}

export interface Running {
  url: string;
  close(): Promise<void>;
}

/** Padding that puts what follows across a 200-char cut (responseDetail, the upgrade body's evidence). */
const PAD_200 = 'p'.repeat(180);
/** …and across describeFailureFrame's 300-char cut ("AUTH_FAILED: " comes first). */
const PAD_300 = 'p'.repeat(275);

function parse(body: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(body) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The request as the server got it: request line, raw headers in order, body. What a careless error page shows. */
function verbatim(req: IncomingMessage, body: string): string {
  const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  return `${lines.join('\n')}\n\n${body}`;
}

/** The secret values in this very request (bypass key, password, service secret, token, subprotocol). */
function secretsIn(req: IncomingMessage, body: string, w: Witness): string[] {
  const raw = verbatim(req, body);
  return w.recall().filter((v) => raw.includes(v) || raw.includes(Buffer.from(v).toString('base64url')));
}

function signatureOf(token: string | undefined): string {
  return token?.split('.')[2] ?? 'no-token-yet';
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': body.startsWith('{') ? 'application/json' : 'text/plain',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

async function listen(server: Server): Promise<Running> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?', 1)[0]!;
}

// ---- auth service --------------------------------------------------------------------------------------

/**
 * `proxy`: forwards everything to the double's auth service and records the tokens it issues.
 * `reject`: the login answers 401 echoing the request (bypass key header, password body) in `detail`,
 *   the secret placed across the 200-char cut, and in response headers; /health echoes what it recalls.
 * `error`: the login answers 500 text/plain with the body (password) first, then the raw request, and the
 *   secrets in response headers; /health 503 with what it recalls.
 * `validate-echo`: logins are proxied (real tokens), /auth/validate answers valid=false with the service
 *   secret as `error` and the token and refresh token in `message`; /health names the token's signature.
 */
export type AuthMode = 'proxy' | 'reject' | 'error' | 'validate-echo';

export async function startAuthFront(mode: AuthMode, upstream: string, w: Witness): Promise<Running> {
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      w.note(req, body);
      const path = pathOf(req);
      const login = path === '/auth/e2e/test-auth' || path === '/auth/login';
      const echoed = secretsIn(req, body, w);
      const echoHeaders = Object.fromEntries(echoed.map((v, i) => [`x-echo-${i}`, v]));

      if (mode === 'reject' && login) {
        w.echoes += 1;
        return send(
          res,
          401,
          JSON.stringify({ detail: `${PAD_200}${echoed[0] ?? ''} rejected: ${verbatim(req, body)}` }),
          { ...echoHeaders, 'www-authenticate': `Bearer error="${echoed[0] ?? ''}"` },
        );
      }
      if (mode === 'error' && login) {
        w.echoes += 1;
        return send(
          res,
          500,
          `Internal Server Error for ${body}\n${verbatim(req, body)}\nsecrets: ${echoed.join(' ')}`,
          echoHeaders,
        );
      }
      if (mode === 'validate-echo' && path === '/auth/validate') {
        w.echoes += 1;
        const token = (parse(body)?.token as string | undefined) ?? '';
        const secret = [...(w.sent.get('service secret') ?? [])][0] ?? 'none';
        return send(
          res,
          200,
          JSON.stringify({
            valid: false,
            error: secret,
            message: `token ${token} refresh ${[...w.refreshTokens].join(' ')}`,
          }),
          echoHeaders,
        );
      }
      if (path === '/health' && mode !== 'proxy') {
        w.echoes += 1;
        const recalled = mode === 'validate-echo' ? signatureOf(w.lastToken()) : w.recall().join(' ');
        return mode === 'error'
          ? send(res, 503, `unhealthy: ${recalled}`)
          : send(res, 200, JSON.stringify({ status: recalled }));
      }
      // Forward to the double: the probe gets real answers and real tokens, and we see them.
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(
          ([k]) => !['host', 'connection', 'content-length', 'keep-alive', 'transfer-encoding'].includes(k),
        ) as [string, string][],
      );
      const answer = await fetch(`${upstream}${req.url}`, {
        method: req.method ?? 'GET',
        headers,
        ...(body ? { body } : {}),
      });
      const text = await answer.text();
      if (login && answer.ok) w.noteIssued(text);
      send(res, answer.status, text, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    })().catch((err: unknown) => {
      if (!res.headersSent) send(res, 502, `test proxy failed: ${String(err)}`);
      else res.destroy();
    });
  });
  return listen(server);
}

// ---- backend (REST and the WebSocket upgrade) ----------------------------------------------------------

/**
 * `reject`: REST 403 with the request in `detail` (POSTs put the token's signature across the 200-char cut);
 *   the upgrade is refused 403 with the signature across the 200-char cut of the upgrade evidence.
 * `error`: REST 500 text/plain with the raw request; the upgrade 500 with the raw request.
 * `garbage`: REST 200 with bodies of the wrong shape that echo the request, a "created" message whose id is
 *   the token's signature; the upgrade 400 with the headers as JSON.
 * /health names every secret it recalls (a 200 `status` is quoted whole in triage's evidence).
 */
export type BackendMode = 'reject' | 'error' | 'garbage';

export async function startHostileBackend(mode: BackendMode, w: Witness): Promise<Running> {
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      w.note(req, body);
      const path = pathOf(req);
      const raw = verbatim(req, body);
      const signature = signatureOf(w.lastToken());
      w.echoes += 1;
      const echoHeaders = { 'x-echo-authorization': req.headers.authorization ?? 'none' };
      if (path === '/health') {
        const recalled = w.recall().join(' ');
        if (mode === 'reject') return send(res, 403, JSON.stringify({ detail: recalled }));
        if (mode === 'error') return send(res, 500, `down: ${recalled}`);
        return send(res, 200, JSON.stringify({ status: recalled }));
      }
      if (mode === 'reject') {
        const detail = req.method === 'POST' ? `${PAD_200}${signature} ${raw}` : `Not authenticated: ${raw}`;
        return send(res, 403, JSON.stringify({ detail }), echoHeaders);
      }
      if (mode === 'error') {
        return send(
          res,
          500,
          req.method === 'POST' ? `${PAD_200}${signature}\n${raw}` : `Internal Server Error\n${raw}`,
          echoHeaders,
        );
      }
      // garbage: a list that is not one, a create whose id is the signature, a read-back without it.
      if (req.method === 'POST')
        return send(
          res,
          200,
          JSON.stringify({ status: 'created', message: { id: signature }, echo: raw }),
          echoHeaders,
        );
      if ((req.url ?? '').includes('thread_id='))
        return send(res, 200, JSON.stringify({ messages: [{ id: 'other', content: raw }], total_count: 1 }));
      return send(
        res,
        200,
        JSON.stringify({ messages: raw, total_count: req.headers.authorization ?? null }),
        echoHeaders,
      );
    })().catch(() => res.destroy());
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
    w.note(req, '');
    w.echoes += 1;
    const raw = verbatim(req, '');
    const signature = signatureOf(w.lastToken());
    const [status, text, body] =
      mode === 'reject'
        ? [403, 'Forbidden', `${PAD_200}${signature} ${raw}`]
        : mode === 'error'
          ? [500, 'Internal Server Error', raw]
          : [400, 'Bad Request', JSON.stringify({ headers: req.headers })];
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\ncontent-type: text/plain\r\nx-echo-authorization: ${req.headers.authorization ?? 'none'}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  return listen(server);
}

// ---- WebSocket endpoint --------------------------------------------------------------------------------

/**
 * Accepts the upgrade (echoing a `jwt.*` subprotocol), then:
 * `error-frame`: an error_message frame quoting the Authorization header, the signature across
 *   describeFailureFrame's 300-char cut, then close 1008 with the signature as the reason.
 * `user-id`: connection_established for the user "<signature>"; start_agent gets an agent_error quoting
 *   the subprotocol (jwt.<base64url of the token>) and the token.
 * `cross-user`: connection_established, then an agent_started frame for the user "<signature>".
 * `close-reason`: connection_established, then start_agent is answered by close 1011 "<signature>".
 */
export type WsMode = 'error-frame' | 'user-id' | 'cross-user' | 'close-reason';

export async function startHostileWs(mode: WsMode, w: Witness): Promise<Running & { wsUrl: string }> {
  const server = createServer((_req, res) => send(res, 404, 'not here'));
  const wss = new WebSocketServer({
    server,
    handleProtocols: (protocols) => [...protocols].find((p) => p.startsWith('jwt.')) ?? false,
  });
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    w.note(req, '');
    const authorization = req.headers.authorization ?? '';
    const token =
      /^Bearer (.+)$/.exec(authorization)?.[1] ??
      (ws.protocol ? Buffer.from(ws.protocol.slice(4), 'base64url').toString('utf8') : '');
    const signature = signatureOf(token);
    const established = (userId: string) =>
      ws.send(
        JSON.stringify({ type: 'connection_established', data: { user_id: userId, connection_id: 'conn_hostile' } }),
      );
    w.echoes += 1;
    if (mode === 'error-frame') {
      ws.send(
        JSON.stringify({
          type: 'error_message',
          error_code: 'AUTH_FAILED',
          error_message: `${PAD_300}${signature} ${authorization}`,
        }),
      );
      ws.close(1008, signature);
      return;
    }
    established(mode === 'user-id' ? signature : 'usr_hostile_1');
    ws.on('message', (data) => {
      const text = String(data);
      if (!text.includes('start_agent')) return;
      if (mode === 'user-id') {
        ws.send(
          JSON.stringify({
            type: 'agent_error',
            data: {
              error_code: 'INTERNAL',
              error_message: `${ws.protocol || authorization} ${token} refused: ${text}`,
            },
          }),
        );
      } else if (mode === 'cross-user') {
        ws.send(
          JSON.stringify({
            type: 'agent_started',
            user_id: signature,
            run_id: 'run_hostile',
            data: { user_id: signature },
          }),
        );
      } else {
        ws.close(1011, signature);
      }
    });
  });
  const running = await listen(server);
  return {
    ...running,
    wsUrl: `${running.url.replace('http:', 'ws:')}/ws`,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await running.close();
    },
  };
}
