import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { assertCleanFailure, chaosStage, evidenceOf } from './chaos-run.ts';
import { hostileHttp, hostileTcp } from './hostile-servers.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** The healthy double's API, where /api/threads is forwarded (its WebSocket must know the thread start_agent names). */
let realApi = (): string => {
  throw new Error('used before the stage started');
};

/** A backend whose /api/chat/messages misbehaves; /health answers like the real one, /api/threads is the double's. */
function backend(onMessages: Handler): Handler {
  return (req, res) => {
    if (req.url === '/health')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    if (req.url?.startsWith('/api/threads')) return void forward(req, res);
    if (req.url?.startsWith('/api/chat/messages')) return onMessages(req, res);
    res.writeHead(404).end();
  };
}

async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const answer = await fetch(`${realApi()}${req.url}`, {
    method: req.method ?? 'GET',
    headers: { authorization: String(req.headers.authorization), 'content-type': 'application/json' },
    ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
  });
  res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

// The backend's REST API replaced by a server that misbehaves in one way; auth and the WebSocket are the healthy
// double.
describe('chaos: a hostile backend REST API', () => {
  const stage = chaosStage();
  realApi = () => stage.double.apiUrl;

  it('an HTML page with 200 → BACKEND_ERROR at chat.messages.list naming the content type', async () => {
    const api = await stage.serve(
      hostileHttp(
        backend((_q, res) =>
          res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome</body></html>'),
        ),
      ),
    );
    const out = await stage.run({ PROBE_API_URL: api.url });
    assertCleanFailure(out, 'chat.messages.list', 'BACKEND_ERROR');
    assert.match(evidenceOf(out), /text\/html/);
  });

  it('a 200 with the wrong JSON shape → BACKEND_ERROR naming the documented shape', async () => {
    const api = await stage.serve(hostileHttp(backend((_q, res) => json(res, 200, { messages: 'none', total: 0 }))));
    const out = await stage.run({ PROBE_API_URL: api.url });
    assertCleanFailure(out, 'chat.messages.list', 'BACKEND_ERROR');
    assert.match(evidenceOf(out), /without \{messages: \[\], total_count\}/);
  });

  it('a create that answers 200 with the wrong shape → BACKEND_ERROR at chat.messages.create', async () => {
    const api = await stage.serve(
      hostileHttp(
        backend((req, res) =>
          req.method === 'GET' ? json(res, 200, { messages: [], total_count: 0 }) : json(res, 200, ['created']),
        ),
      ),
    );
    const out = await stage.run({ PROBE_API_URL: api.url });
    assertCleanFailure(out, 'chat.messages.create', 'BACKEND_ERROR');
    assert.match(evidenceOf(out), /expected "created"/);
  });

  it('HTTP that never answers → BACKEND_ERROR at the deadline; the remaining hop is skipped, not hung', async () => {
    const api = await stage.serve(hostileHttp(backend(() => undefined)));
    const out = await stage.run({ PROBE_API_URL: api.url });
    assertCleanFailure(out, 'chat.messages.list', 'BACKEND_ERROR');
    assert.match(evidenceOf(out), /no response before the deadline/);
    const create = out.report!.hops.find((h) => h.name === 'chat.messages.create')!;
    assert.equal(create.status, 'skip');
    assert.match(create.skippedBecause ?? '', /deadline/);
  });

  it('a body that never ends → BACKEND_ERROR saying the body did not finish', async () => {
    const api = await stage.serve(
      hostileHttp(
        backend((_q, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"messages": [');
          const drip = setInterval(() => res.write('{},'), 100);
          res.on('close', () => clearInterval(drip));
        }),
      ),
    );
    const out = await stage.run({ PROBE_API_URL: api.url });
    assertCleanFailure(out, 'chat.messages.list', 'BACKEND_ERROR');
    assert.match(evidenceOf(out), /answered HTTP 200 but the body did not finish/);
  });

  it('a body far larger than any real answer is cut off, not buffered → BACKEND_ERROR', async () => {
    const TOTAL = 64 * 1024 * 1024;
    let finished = 0;
    let cutOff = 0;
    const api = await stage.serve(
      hostileHttp(
        backend((_q, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          const chunk = Buffer.alloc(64 * 1024, 0x20);
          let sent = 0;
          const pump = () => {
            while (sent < TOTAL) {
              sent += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            res.end(() => finished++);
          };
          res.on('close', () => {
            if (sent < TOTAL) cutOff++;
            sent = Infinity;
          });
          pump();
        }),
      ),
    );
    const out = await stage.run({ PROBE_API_URL: api.url });
    assertCleanFailure(out, 'chat.messages.list', 'BACKEND_ERROR');
    assert.ok(cutOff >= 1, 'the probe hung up before the 64 MiB were sent');
    assert.equal(finished, 0, 'no 64 MiB body was read to its end');
  });

  it('a redirect loop is not followed → BACKEND_ERROR naming the redirect', async () => {
    const api = await stage.serve(
      hostileHttp(backend((req, res) => res.writeHead(307, { location: req.url ?? '/' }).end())),
    );
    const out = await stage.run({ PROBE_API_URL: api.url });
    assertCleanFailure(out, 'chat.messages.list', 'BACKEND_ERROR');
    assert.match(evidenceOf(out), /redirect to http:\/\/127\.0\.0\.1:\d+\/api\/chat\/messages, not followed/);
  });

  it('a connection cut mid-response → BACKEND_ERROR naming the hang-up', async () => {
    const api = await stage.serve(
      hostileTcp('http', (s) => {
        s.once('data', () =>
          s.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"messages":[', () =>
            s.destroy(),
          ),
        );
      }),
    );
    const out = await stage.run({ PROBE_API_URL: api.url });
    assertCleanFailure(out, 'thread.create', 'BACKEND_ERROR');
    assert.match(evidenceOf(out), /hung up|ECONNRESET|aborted/);
  });

  it('garbage instead of HTTP → BACKEND_ERROR naming a malformed response', async () => {
    const api = await stage.serve(hostileTcp('http', (s) => s.once('data', () => s.end('SSH-2.0-OpenSSH_9.6\r\n'))));
    const out = await stage.run({ PROBE_API_URL: api.url });
    assertCleanFailure(out, 'thread.create', 'BACKEND_ERROR');
    assert.match(evidenceOf(out), /malformed HTTP response/);
  });
});
