// The backend: health routes, /api/chat/messages, and the WebSocket on the same HTTP server
// (ws in noServer mode, so the upgrade can be refused with a plain HTTP 403).

import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import type { Tracer } from '@opentelemetry/api';
import { WebSocketServer } from 'ws';
import type { RouteHandler } from '../http/listener.ts';
import { createListener } from '../http/listener.ts';
import { createRouter } from '../http/router.ts';
import { listen, originOf } from '../http/server-lifecycle.ts';
import type { Recorder } from '../recorder.ts';
import { createUpgradeHandler } from '../ws/upgrade.ts';
import type { BackendSettings } from './backend-settings.ts';
import { chatRoutes } from './chat-messages.ts';
import { ok, ready, welcome, wsHealth } from './health.ts';
import { createMessageStore } from './message-store.ts';

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

export async function startBackendService(opts: BackendServiceOptions): Promise<RunningBackend> {
  const chat = chatRoutes(opts.settings, opts.tracer, createMessageStore());
  const resolve = createRouter<RouteHandler>([
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
  ]);
  let port = 0;
  const server = createServer(
    createListener({ service: 'backend', tracer: opts.tracer, record: opts.record, port: () => port, resolve }),
  );
  const chosenProtocol = new WeakMap<IncomingMessage, string>();
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (_offered, req) => chosenProtocol.get(req) ?? false,
  });
  server.on(
    'upgrade',
    createUpgradeHandler({
      wss,
      chosenProtocol,
      settings: opts.settings,
      tracer: opts.tracer,
      record: opts.record,
      port: () => port,
    }),
  );
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
