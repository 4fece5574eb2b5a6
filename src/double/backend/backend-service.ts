// The backend as a client on the API host meets it: the load balancer's front (affinity.ts) and, behind it, two
// backend instances. Each instance has its own routes over its own chat store and WebSocket registry; the threads
// store (the database) is shared. One HTTP server carries the front and both instances: the front picks the
// instance per request (HTTP or WebSocket upgrade) and hands it to that instance's listener or upgrade handler,
// adding the GCLB cookie when it pins the client now. ws runs in noServer mode, so an upgrade can be refused with
// a plain HTTP 403.

import type { IncomingMessage, RequestListener } from 'node:http';
import { createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Tracer } from '@opentelemetry/api';
import { WebSocketServer } from 'ws';
import type { RouteHandler } from '../http/listener.ts';
import { createListener } from '../http/listener.ts';
import { createRouter } from '../http/router.ts';
import { listen, originOf } from '../http/server-lifecycle.ts';
import type { Recorder } from '../recorder.ts';
import { runIdSource } from '../ws/run-ids.ts';
import { createUpgradeHandler } from '../ws/upgrade.ts';
import { createUserSockets } from '../ws/user-sockets.ts';
import { createAffinity } from './affinity.ts';
import type { BackendSettings } from './backend-settings.ts';
import { chatRoutes } from './chat-messages.ts';
import { ok, ready, welcome, wsHealth } from './health.ts';
import type { BackendInstance, SharedBackendState } from './instance.ts';
import { createMessageStore } from './message-store.ts';
import { createThreadStore } from './thread-store.ts';
import { threadsRoutes } from './threads-routes.ts';

/** Cloud Run's minimum for the staging backend is 2 (deploy_to_gcp_actual.py, netra-protocol.md §9). */
const INSTANCES = 2;

export interface BackendServiceOptions {
  host: string;
  port: number;
  settings: BackendSettings;
  tracer: Tracer;
  record: Recorder;
}

export interface RunningBackend {
  apiUrl: string;
  wsUrl: string;
  /** Client connections open now (WebSockets included). */
  connections(): number;
  close(): Promise<void>;
}

function routesOf(instance: BackendInstance, shared: SharedBackendState, settings: BackendSettings, tracer: Tracer) {
  const chat = chatRoutes(settings, tracer, instance.messages);
  const threads = threadsRoutes(settings, tracer, shared.threads);
  return createRouter<RouteHandler>([
    { method: 'GET', route: '/', handler: welcome },
    { method: 'GET', route: '/health', handler: ok },
    { method: 'GET', route: '/health/', handler: ok },
    { method: 'GET', route: '/health/live', handler: ok },
    { method: 'GET', route: '/health/startup', handler: ok },
    { method: 'GET', route: '/health/backend', handler: ok },
    { method: 'GET', route: '/health/ready', handler: ready },
    { method: 'GET', route: '/api/health/health', handler: ok },
    { method: 'GET', route: '/api/health/ready', handler: ok },
    { method: 'GET', route: '/ws/health', handler: wsHealth },
    { method: 'GET', route: '/api/chat/messages', handler: chat.list },
    { method: 'POST', route: '/api/chat/messages', handler: chat.create },
    { method: 'GET', route: '/api/chat/messages/{message_id}', handler: chat.get },
    { method: 'DELETE', route: '/api/chat/messages/{message_id}', handler: chat.remove },
    { method: 'GET', route: '/api/threads', handler: threads.list },
    { method: 'GET', route: '/api/threads/', handler: threads.list },
    { method: 'POST', route: '/api/threads', handler: threads.create },
    { method: 'POST', route: '/api/threads/', handler: threads.create },
    { method: 'GET', route: '/api/threads/{thread_id}', handler: threads.get },
    { method: 'PUT', route: '/api/threads/{thread_id}', handler: threads.update },
    { method: 'DELETE', route: '/api/threads/{thread_id}', handler: threads.remove },
    { method: 'GET', route: '/api/threads/{thread_id}/messages', handler: threads.messages },
    { method: 'POST', route: '/api/threads/{thread_id}/messages', handler: threads.send },
  ]);
}

export async function startBackendService(opts: BackendServiceOptions): Promise<RunningBackend> {
  const shared: SharedBackendState = { threads: createThreadStore(), runIds: runIdSource() };
  const instances: BackendInstance[] = Array.from({ length: INSTANCES }, (_, index) => ({
    index,
    messages: createMessageStore(),
    sockets: createUserSockets(),
  }));
  const affinity = createAffinity(INSTANCES);
  const pinning = () => opts.settings.effects().affinity === 'cookie';
  let port = 0;

  const chosenProtocol = new WeakMap<IncomingMessage, string>();
  const upgradeCookie = new WeakMap<IncomingMessage, string>();
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (_offered, req) => chosenProtocol.get(req) ?? false,
  });
  // The 101 carries the front's cookie when it pinned the client on this upgrade.
  wss.on('headers', (headers, req) => {
    const cookie = upgradeCookie.get(req);
    if (cookie !== undefined) headers.push(`Set-Cookie: ${cookie}`);
  });

  const perInstance = instances.map((instance) => {
    const record: Recorder = (r) => opts.record({ ...r, instance: instance.index });
    const listener: RequestListener = createListener({
      service: 'backend',
      tracer: opts.tracer,
      record,
      port: () => port,
      resolve: routesOf(instance, shared, opts.settings, opts.tracer),
    });
    const upgrade = createUpgradeHandler({
      wss,
      chosenProtocol,
      settings: opts.settings,
      tracer: opts.tracer,
      record,
      port: () => port,
      instance,
      shared,
    });
    return { listener, upgrade };
  });

  const server = createServer((req, res) => {
    const placed = affinity.place(req.headers.cookie, pinning());
    if (placed.setCookie !== undefined) res.setHeader('set-cookie', placed.setCookie);
    perInstance[placed.instance]?.listener(req, res);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const placed = affinity.place(req.headers.cookie, pinning());
    if (placed.setCookie !== undefined) upgradeCookie.set(req, placed.setCookie);
    perInstance[placed.instance]?.upgrade(req, socket, head);
  });
  const life = await listen(server, opts.host, opts.port);
  port = life.port;
  return {
    apiUrl: originOf('http', opts.host, port),
    wsUrl: `${originOf('ws', opts.host, port)}/ws`,
    connections: life.connections,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await life.close();
    },
  };
}
