// Starts the two services, auth first (the backend needs its URL), and returns the handle.
import { setMaxListeners } from 'node:events';
import { resolveAuthSettings } from './auth/auth-settings.ts';
import { startAuthService } from './auth/auth-service.ts';
import { startBackendService } from './backend/backend-service.ts';
import { effectsOf } from './fault-effects.ts';
import { FAULTS, isFaultName } from './faults.ts';
import type { FaultName } from './faults.ts';
import { tracerFrom } from './telemetry/tracer.ts';
import type { DoubleOptions, RecordedRequest, RunningDouble } from './types.ts';

const DEFAULT_SLOW_AGENT_MS = 16_000;

export async function startDouble(opts: DoubleOptions): Promise<RunningDouble> {
  const fault: FaultName = opts.fault ?? 'healthy';
  // The type says FaultName, but a CLI may hand over any string it was given.
  if (!isFaultName(fault)) throw new Error(`Unknown fault "${String(fault)}"; use one of: ${FAULTS.join(', ')}`);
  const host = opts.host ?? '127.0.0.1';
  const effects = effectsOf(fault);
  const requests: RecordedRequest[] = [];
  const record = (r: RecordedRequest) => void requests.push(r);
  const lifetime = new AbortController();
  // Every open WebSocket and in-flight auth call listens on it.
  setMaxListeners(0, lifetime.signal);

  const auth = await startAuthService({
    host,
    port: opts.authPort ?? 0,
    settings: resolveAuthSettings(effects.auth, opts.credentials),
    tracer: tracerFrom(opts.tracerProviders?.auth),
    record,
  });
  const backend = await startBackendService({
    host,
    port: opts.apiPort ?? 0,
    settings: {
      effects: effects.backend,
      authUrl: auth.url,
      serviceId: 'netra-backend',
      serviceSecret: opts.credentials.serviceSecret,
      slowAgentMs: opts.slowAgentMs ?? DEFAULT_SLOW_AGENT_MS,
      lifetime: lifetime.signal,
    },
    tracer: tracerFrom(opts.tracerProviders?.backend),
    record,
  }).catch(async (err: unknown) => {
    // e.g. apiPort taken: do not leave the auth server listening.
    await auth.close();
    throw err;
  });

  let closing: Promise<void> | undefined;
  return {
    authUrl: auth.url,
    apiUrl: backend.apiUrl,
    wsUrl: backend.wsUrl,
    fault,
    requests,
    close() {
      closing ??= (async () => {
        lifetime.abort();
        await Promise.all([backend.close(), auth.close()]);
      })();
      return closing;
    },
  };
}
