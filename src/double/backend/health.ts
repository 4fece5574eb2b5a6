// The backend's static health routes (routes/health.py, WS:1847-1895). They stay healthy under every
// fault: the real ones are static too, which is why a probe cannot lean on them.

import type { RouteHandler } from '../http/listener.ts';
import { sendJson } from '../http/send.ts';
import { pythonIsoUtc } from '../time.ts';

export const ok: RouteHandler = ({ res }) => sendJson(res, 200, { status: 'ok' });
export const ready: RouteHandler = ({ res }) => sendJson(res, 200, { status: 'ready' });
export const welcome: RouteHandler = ({ res }) => sendJson(res, 200, { message: 'Welcome to Netra API' });

export const wsHealth: RouteHandler = ({ res }) =>
  sendJson(res, 200, {
    status: 'healthy',
    mode: 'ssot_consolidated',
    components: { manager: 'healthy', message_router: 'healthy', connection_monitor: 'healthy' },
    service_availability: { allow_websocket_connections: true, denial_reason: null },
    timestamp: pythonIsoUtc(),
  });
