// The auth service's health and status routes (AM:583-690, AR:55-65), database always "connected".

import type { RouteHandler } from '../http/listener.ts';
import { sendJson } from '../http/send.ts';
import { pythonIsoUtc } from '../time.ts';
import type { AuthSettings } from './auth-settings.ts';

const SERVICE = 'auth-service';
const VERSION = '1.0.0';

export function health(current: () => AuthSettings): RouteHandler {
  return ({ res }) =>
    sendJson(res, 200, {
      status: 'healthy',
      service: SERVICE,
      version: VERSION,
      timestamp: pythonIsoUtc(),
      uptime_seconds: (Date.now() - current().startedAtMs) / 1000,
      database_status: 'connected',
      environment: 'staging',
    });
}

export const ready: RouteHandler = ({ res }) =>
  sendJson(res, 200, {
    status: 'ready',
    service: SERVICE,
    version: VERSION,
    timestamp: pythonIsoUtc(),
    database_status: 'connected',
  });

export const authHealth: RouteHandler = ({ res }) =>
  sendJson(res, 200, {
    status: 'healthy',
    service: SERVICE,
    version: VERSION,
    timestamp: pythonIsoUtc(),
    database_status: 'connected',
  });

export const authStatus: RouteHandler = ({ res }) =>
  sendJson(res, 200, { service: SERVICE, status: 'running', timestamp: pythonIsoUtc(), version: VERSION });

export const root: RouteHandler = ({ res }) =>
  sendJson(res, 200, { service: SERVICE, version: VERSION, status: 'running' });
