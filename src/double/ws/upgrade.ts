// The backend's `upgrade` handler: routes, subprotocol negotiation (403 before accept when nothing
// offered is supported), then ws's handshake. The upgrade gets its SERVER span and a record with
// `upgrade: true`; the span stays open until authentication after accept has finished, so the auth
// spans nest under it.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Tracer } from '@opentelemetry/api';
import type { WebSocketServer } from 'ws';
import type { BackendSettings } from '../backend/backend-settings.ts';
import type { BackendInstance, SharedBackendState } from '../backend/instance.ts';
import type { Recorder } from '../recorder.ts';
import { pathOf, startRecording } from '../recorder.ts';
import { endServerSpan, startServerSpan } from '../telemetry/server-span.ts';
import { serveConnection } from './connection.ts';
import { rejectUpgrade } from './reject-upgrade.ts';
import { negotiate, offeredProtocols } from './subprotocol.ts';

const WS_ROUTES = ['/ws', '/api/v1/websocket'];

export interface UpgradeOptions {
  wss: WebSocketServer;
  /** Where the negotiated protocol waits for ws's `handleProtocols`. */
  chosenProtocol: WeakMap<IncomingMessage, string>;
  settings: BackendSettings;
  tracer: Tracer;
  record: Recorder;
  port: () => number;
  instance: BackendInstance;
  shared: SharedBackendState;
}

export function createUpgradeHandler(
  opts: UpgradeOptions,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    const finish = startRecording(opts.record, 'backend', req, true);
    const path = pathOf(req);
    const route = WS_ROUTES.includes(path) ? path : undefined;
    const method = req.method ?? 'GET';
    const { span, ctx } = startServerSpan(opts.tracer, {
      method,
      path,
      route,
      port: opts.port(),
      traceparent: req.headers.traceparent,
    });
    let settled = false;
    const refuse = () => {
      settled = true;
      rejectUpgrade(socket);
      finish(403);
      endServerSpan(span, 403);
    };
    // An unknown WebSocket route is also a close before accept in Starlette, hence 403 too.
    if (route === undefined || opts.settings.effects().rejectUpgrades) return refuse();
    const offered = offeredProtocols(req.headers['sec-websocket-protocol']);
    const negotiation = negotiate(offered);
    if (negotiation.kind === 'reject') return refuse();
    if (negotiation.kind === 'accept') opts.chosenProtocol.set(req, negotiation.protocol);

    // ws answers a malformed handshake (400/405) itself and never calls back: record that on close.
    socket.once('close', () => {
      if (settled) return;
      settled = true;
      const status = method === 'GET' ? 400 : 405;
      finish(status);
      endServerSpan(span, status);
    });
    opts.wss.handleUpgrade(req, socket, head, (ws) => {
      settled = true;
      finish(101);
      serveConnection(ws, req, {
        settings: opts.settings,
        tracer: opts.tracer,
        upgradeCtx: ctx,
        offered,
        onAuthDone: () => endServerSpan(span, 101),
        instance: opts.instance,
        shared: opts.shared,
      });
    });
  };
}
