// One accepted WebSocket in main mode: authenticate after accept, the welcome (or the main loop's crash), then
// the message loop. Messages that arrive while authentication is in flight are handled after it, in order. The
// socket joins its instance's registry under its user, so it hears every run of that user on this instance.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context, Tracer } from '@opentelemetry/api';
import type { RawData } from 'ws';
import { WebSocket } from 'ws';
import type { BackendSettings } from '../backend/backend-settings.ts';
import type { BackendInstance, SharedBackendState } from '../backend/instance.ts';
import type { BackendEffects } from '../fault-effects.ts';
import { agentScript } from './agent-script.ts';
import type { RunRequest } from './conversation.ts';
import { playRun } from './conversation.ts';
import {
  connectionErrorFrame,
  connectionEstablished,
  connectWelcome,
  errorMessage,
  heartbeatAck,
  pong,
  systemMessageWelcome,
} from './frames.ts';
import { classify } from './message-types.ts';
import { startOtherClient } from './other-client.ts';
import { createTimers } from './timers.ts';
import { authenticateWebSocket } from './ws-auth.ts';

export interface ConnectionOptions {
  settings: BackendSettings;
  tracer: Tracer;
  /** Context of the upgrade's SERVER span. */
  upgradeCtx: Context;
  offered: readonly string[];
  /** Called once authentication has ended, whatever its outcome (ends the upgrade span). */
  onAuthDone: () => void;
  instance: BackendInstance;
  shared: SharedBackendState;
}

const hex8 = () => randomBytes(4).toString('hex');

function welcomeFrame(kind: BackendEffects['welcome'], userId: string, connectionId: string): object {
  switch (kind) {
    case 'connect':
      return connectWelcome(userId, connectionId);
    case 'system_message':
      return systemMessageWelcome(userId, hex8());
    default:
      return connectionEstablished(userId, connectionId);
  }
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(new Uint8Array(data)).toString('utf8');
}

function stringField(obj: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = obj?.[key];
  return typeof v === 'string' ? v : undefined;
}

export function serveConnection(socket: WebSocket, req: IncomingMessage, opts: ConnectionOptions): void {
  const { settings } = opts;
  const timers = createTimers();
  const connectionId = `main_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
  const onAbort = () => {
    timers.clear();
    socket.terminate();
  };
  settings.lifetime.addEventListener('abort', onAbort, { once: true });
  socket.on('close', () => {
    timers.clear();
    settings.lifetime.removeEventListener('abort', onAbort);
  });
  // A socket error always ends in 'close'; without a listener it would be an uncaught exception.
  socket.on('error', () => {});
  const send = (frame: object) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  };
  const { sockets } = opts.instance;

  const session: Promise<string | undefined> = authenticateWebSocket(
    req,
    opts.offered,
    settings,
    opts.tracer,
    opts.upgradeCtx,
  ).then(
    (result) => {
      opts.onAuthDone();
      if (!result.ok) {
        send(errorMessage('AUTH_FAILED', result.errorMessage));
        socket.close(result.closeCode, result.closeReason);
        return undefined;
      }
      const welcome = settings.effects().welcome;
      if (welcome === 'crash') {
        send(connectionErrorFrame());
        socket.close(1011, 'main mode error');
        return undefined;
      }
      send(welcomeFrame(welcome, result.userId, connectionId));
      if (socket.readyState === WebSocket.OPEN) {
        const leave = sockets.add(result.userId, send);
        socket.once('close', leave);
      }
      return result.userId;
    },
    () => {
      opts.onAuthDone();
      socket.close(1011, 'main mode error');
      return undefined;
    },
  );

  const handle = (userId: string, data: RawData) => {
    let msg: unknown;
    try {
      msg = JSON.parse(textOf(data)) as unknown;
    } catch {
      return send(errorMessage('JSON_PARSE_ERROR', 'Invalid JSON format'));
    }
    const obj =
      typeof msg === 'object' && msg !== null && !Array.isArray(msg) ? (msg as Record<string, unknown>) : undefined;
    const type = stringField(obj, 'type');
    if (obj === undefined || type === undefined) {
      return send(errorMessage('INVALID_MESSAGE', 'Message must be a JSON object with a "type" field'));
    }
    switch (classify(type)) {
      case 'ping':
        return send(pong(userId));
      case 'heartbeat':
        return send(heartbeatAck());
      case 'pong':
        return;
      case 'unknown':
        return send(errorMessage('UNKNOWN_MESSAGE_TYPE', `Unknown message type: ${type}`));
      case 'agent': {
        const effects = settings.effects();
        // The agent handler opens the request-scoped session first (ssot_agent_message_handler.py:277-278); its
        // failure is only logged (316-319): the client hears nothing.
        if (effects.database === 'refused') return;
        const plan = agentScript(effects.agentScript, settings.slowAgentMs);
        // ws_abort: the main loop crashes on the message and the handler's cleanup closes normally.
        if ('abort' in plan) return socket.close(1000, 'main cleanup');
        const payload = obj.payload;
        const p = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : undefined;
        const req: RunRequest = {
          userId,
          threadId: stringField(p, 'thread_id'),
          userRequest:
            stringField(p, 'user_request') ??
            stringField(p, 'message') ??
            stringField(p, 'content') ??
            stringField(p, 'text') ??
            '',
          connectionId,
        };
        const toUser = (frame: object) => sockets.sendToUser(userId, frame);
        const lag = startOtherClient(effects.otherClient, userId, opts.shared, timers, toUser);
        if (lag === 0) return playRun(plan, req, opts.shared, timers, toUser);
        return timers.after(lag, () => playRun(plan, req, opts.shared, timers, toUser));
      }
    }
  };

  socket.on('message', (data) => {
    void session.then((userId) => {
      if (userId !== undefined) handle(userId, data);
    });
  });
}
