// One accepted WebSocket in main mode: authenticate after accept, then the message loop. Messages that
// arrive while authentication is in flight are handled after it, in order.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context, Tracer } from '@opentelemetry/api';
import type { RawData } from 'ws';
import { WebSocket } from 'ws';
import type { BackendSettings } from '../backend/backend-settings.ts';
import type { RunContext } from './agent-events.ts';
import { runAgent } from './agent-run.ts';
import { agentScript } from './agent-script.ts';
import { connectionEstablished, errorMessage, heartbeatAck, pong } from './frames.ts';
import { classify } from './message-types.ts';
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
      send(connectionEstablished(result.userId, connectionId));
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
        const plan = agentScript(settings.effects().agentScript, settings.slowAgentMs);
        // ws_abort: the main loop crashes on the message and the handler's cleanup closes normally.
        if ('abort' in plan) return socket.close(1000, 'main cleanup');
        const payload = obj.payload;
        const p = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : undefined;
        // The frontend names the thread in the payload, the staging tests at the top level.
        const named = stringField(p, 'thread_id') ?? stringField(obj, 'thread_id');
        const ctx: RunContext = {
          runId: `run_${randomUUID().replaceAll('-', '')}`,
          userId,
          threadId: named ?? `thread_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
          connectionId,
          userRequest:
            stringField(p, 'user_request') ??
            stringField(p, 'message') ??
            stringField(p, 'content') ??
            stringField(p, 'text') ??
            '',
          startedAtMs: Date.now(),
        };
        return runAgent(plan, ctx, timers, send);
      }
    }
  };

  socket.on('message', (data) => {
    void session.then((userId) => {
      if (userId !== undefined) handle(userId, data);
    });
  });
}
