import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** A loopback server that misbehaves in one way; `hits` counts the connections or requests it saw. */
export interface Hostile {
  url: string;
  hits: number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function portOf(server: { address(): AddressInfo | string | null }): number {
  return (server.address() as AddressInfo).port;
}

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<void> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
}

/** Keeps every accepted socket so close() can cut the ones a hostile server left hanging. */
function track(server: { on(event: 'connection', cb: (s: Socket) => void): unknown }): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

function closer(server: { close(cb: () => void): unknown }, sockets: Set<Socket>): () => Promise<void> {
  return async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

export async function hostileHttp(handler: Handler): Promise<Hostile> {
  const hostile: Hostile = { url: '', hits: 0, close: async () => undefined };
  const server = createHttpServer((req, res) => {
    hostile.hits++;
    handler(req, res);
  });
  const sockets = track(server);
  await listen(server);
  hostile.url = `http://127.0.0.1:${portOf(server)}`;
  hostile.close = closer(server, sockets);
  return hostile;
}

export async function hostileHttps(tls: { key: string; cert: string }, handler: Handler): Promise<Hostile> {
  const hostile: Hostile = { url: '', hits: 0, close: async () => undefined };
  const server = createHttpsServer(tls, (req, res) => {
    hostile.hits++;
    handler(req, res);
  });
  server.on('tlsClientError', () => undefined);
  const sockets = new Set<Socket>();
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hostile.url = `https://127.0.0.1:${portOf(server)}`;
  hostile.close = closer(server, sockets);
  return hostile;
}

/** A TCP server that does `onSocket` with each connection: say nothing, say garbage, hang up. */
export async function hostileTcp(scheme: 'http' | 'https' | 'ws', onSocket: (s: Socket) => void): Promise<Hostile> {
  const hostile: Hostile = { url: '', hits: 0, close: async () => undefined };
  const server = createTcpServer((s) => {
    hostile.hits++;
    s.on('error', () => undefined);
    onSocket(s);
  });
  const sockets = track(server);
  await listen(server);
  hostile.url = `${scheme}://127.0.0.1:${portOf(server)}${scheme === 'ws' ? '/ws' : ''}`;
  hostile.close = closer(server, sockets);
  return hostile;
}

/** A port that was just free and is now closed: connecting to it is refused. */
export async function refusedUrl(scheme: 'http' | 'ws'): Promise<string> {
  const server = createTcpServer();
  await listen(server);
  const port = portOf(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `${scheme}://127.0.0.1:${port}${scheme === 'ws' ? '/ws' : ''}`;
}

/** A handler that passes each request on to `target` (another server on loopback) and relays its answer. */
export function forwardTo(target: string): Handler {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers.set(k, v);
      const answer = await fetch(`${target}${req.url}`, {
        method: req.method ?? 'GET',
        headers,
        ...(req.method === 'GET' ? {} : { body: Buffer.concat(chunks) }),
      });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  };
}

/** Plain HTTP in front of `target`, over TLS: shows that a private CA works through NODE_EXTRA_CA_CERTS. */
export async function tlsProxy(tls: { key: string; cert: string }, target: string): Promise<Hostile> {
  return hostileHttps(tls, forwardTo(target));
}

export interface AgentScript {
  /** Frames sent right after the upgrade; by default a plain connection_established. */
  onOpen?: (ws: WebSocket) => void;
  /** What the "agent" does when the probe sends start_agent. */
  onStartAgent?: (ws: WebSocket) => void;
}

/** A WebSocket server at /ws that accepts any token and follows a script. */
export async function hostileWs(script: AgentScript): Promise<Hostile> {
  const hostile: Hostile = { url: '', hits: 0, close: async () => undefined };
  const server = createHttpServer((_req, res) => res.writeHead(404).end());
  const sockets = track(server);
  const wss = new WebSocketServer({ server, path: '/ws', maxPayload: 64 * 1024 * 1024 });
  wss.on('connection', (ws) => {
    hostile.hits++;
    ws.on('error', () => undefined);
    (
      script.onOpen ??
      ((s) => s.send(JSON.stringify({ type: 'connection_established', data: { connection_id: 'chaos' } })))
    )(ws);
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { type?: string };
      if (msg.type === 'start_agent') script.onStartAgent?.(ws);
    });
  });
  await listen(server);
  hostile.url = `ws://127.0.0.1:${portOf(server)}/ws`;
  hostile.close = async () => {
    for (const c of wss.clients) c.terminate();
    wss.close();
    await closer(server, sockets)();
  };
  return hostile;
}

export const GOLDEN = [
  'agent_started',
  'agent_thinking',
  'tool_executing',
  'tool_completed',
  'agent_completed',
] as const;

/** An agent event frame as the real-agent path sends it (flat, name in `type`). */
export function event(type: string): string {
  return JSON.stringify({ type, run_id: 'run_chaos', data: { status: type } });
}
