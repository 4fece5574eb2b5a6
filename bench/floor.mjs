// The floor: the golden path's requests with Node's global fetch and ws and nothing else — no tracing,
// no checks beyond what the next request needs, no logging. The probe's figures in bench/run.mjs are ratios
// to this one's.
//
//   PROBE_API_URL=… PROBE_AUTH_URL=… PROBE_E2E_BYPASS_KEY=… PROBE_SERVICE_SECRET=… node bench/floor.mjs
//
// The same environment as `golden-probe run` (PROBE_WS_URL defaults to the API URL's /ws, like the probe).
// FLOOR_TIMINGS=1 prints one JSON line with each hop's client-side duration (ms, monotonic clock).
// Exit code 0 when agent_completed arrived and every HTTP answer was 200, 1 when an answer was not 200,
// 2 when the whole path took over 30 s.
import WebSocket from 'ws';

const env = process.env;
const authUrl = env.PROBE_AUTH_URL;
const apiUrl = env.PROBE_API_URL;
const wsUrl = env.PROBE_WS_URL || `${apiUrl.replace(/^http/, 'ws')}/ws`;
const email = env.PROBE_USER_EMAIL || 'golden-probe@staging.netrasystems.ai';
const threadId = `thread_floor_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
const timings = {};
// Bounded like the probe (--timeout-ms): a double that stops answering ends the run, it does not hang the bench.
setTimeout(() => {
  process.stderr.write('floor: the golden path did not finish within 30 s\n');
  process.exit(2);
}, 30_000).unref();
let ok = true;

async function hop(name, body) {
  const t0 = performance.now();
  const result = await body();
  timings[name] = performance.now() - t0;
  return result;
}

async function post(url, headers, json) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(json),
  });
  ok &&= res.status === 200;
  return res.json();
}

async function get(url, headers) {
  const res = await fetch(url, { headers });
  ok &&= res.status === 200;
  return res.json();
}

const { access_token: token } = await hop('login', () =>
  post(`${authUrl}/auth/e2e/test-auth`, { 'X-E2E-Bypass-Key': env.PROBE_E2E_BYPASS_KEY }, { email }),
);
const bearer = { Authorization: `Bearer ${token}` };

if (env.PROBE_SERVICE_SECRET) {
  await hop('service.auth', () =>
    post(
      `${authUrl}/auth/validate`,
      { 'X-Service-ID': env.PROBE_SERVICE_ID || 'netra-backend', 'X-Service-Secret': env.PROBE_SERVICE_SECRET },
      { token, token_type: 'access' },
    ),
  );
}

// One listener for the socket's life: resolves the wait for the next awaited frame type.
let waiting;
const socket = await hop(
  'ws.connect',
  () =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl, { headers: bearer, perMessageDeflate: false });
      waiting = { type: 'connection_established', resolve: () => resolve(ws) };
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data));
        if (frame.type === waiting?.type) waiting.resolve();
      });
      ws.once('error', reject);
    }),
);

await hop(
  'agent.run',
  () =>
    new Promise((resolve) => {
      waiting = { type: 'agent_completed', resolve };
      socket.send(
        JSON.stringify({
          type: 'start_agent',
          payload: { user_request: 'golden path floor', thread_id: threadId, context: {}, settings: {} },
          thread_id: threadId,
          timestamp: Date.now() / 1000,
        }),
      );
    }),
);

await hop('chat.messages.list', () => get(`${apiUrl}/api/chat/messages?limit=50`, bearer));
await hop('chat.messages.create', async () => {
  await post(`${apiUrl}/api/chat/messages`, bearer, {
    content: `floor ${threadId}`,
    thread_id: threadId,
    message_type: 'user',
    metadata: { source: 'floor' },
  });
  await get(`${apiUrl}/api/chat/messages?thread_id=${threadId}&limit=100`, bearer);
});
socket.terminate();

if (env.FLOOR_TIMINGS === '1') process.stdout.write(`${JSON.stringify({ ok, hops: timings })}\n`);
process.exitCode = ok ? 0 : 1;
