// The three Google APIs the probe reads, each on its own loopback port (as each has its own host at Google).

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { GoogleEffects } from '../fault-effects.ts';
import { createListener, type RouteHandler } from '../http/listener.ts';
import { createRouter, type Route } from '../http/router.ts';
import { listen, originOf } from '../http/server-lifecycle.ts';
import type { Recorder } from '../recorder.ts';
import { tracerFrom } from '../telemetry/tracer.ts';
import type { GoogleOptions, RecordedRequest, RunningGoogle } from '../types.ts';
import { cloudRunRoutes } from './cloud-run-api.ts';
import type { GoogleAccess } from './google-errors.ts';
import { buildGoogleModel } from './google-model.ts';
import { loggingRoute } from './logging-api.ts';
import { secretManagerRoutes } from './secret-manager-api.ts';

const ALL_GOOGLE_ROLES = [
  'roles/run.viewer',
  'roles/secretmanager.viewer',
  'roles/secretmanager.secretAccessor',
  'roles/logging.viewer',
  'roles/logging.viewAccessor',
];

export interface StartGoogleInput {
  host: string;
  effects: GoogleEffects;
  options: GoogleOptions;
  apiUrl: string;
  authUrl: string;
  serviceSecret: string;
  jwtSecret: string;
  record: Recorder;
  requests: readonly RecordedRequest[];
}

export async function startGoogle(input: StartGoogleInput): Promise<RunningGoogle & { close(): Promise<void> }> {
  const opts = input.options;
  const model = buildGoogleModel({
    effects: input.effects,
    project: opts.project ?? 'netra-staging',
    region: opts.region ?? 'us-central1',
    backendService: opts.backendService ?? 'netra-backend-staging',
    authService: opts.authService ?? 'netra-auth-service',
    apiUrl: input.apiUrl,
    authUrl: input.authUrl,
    serviceSecret: input.serviceSecret,
    jwtSecret: input.jwtSecret,
    now: Date.now(),
    tamper: { env: opts.env, versionStates: opts.versionStates },
  });
  const access: GoogleAccess = {
    token: randomBytes(32).toString('base64url'),
    roles: new Set(opts.roles ?? ALL_GOOGLE_ROLES),
    rateLimitFirst: opts.rateLimitFirst ?? 0,
    seen: { count: 0 },
  };
  const run = cloudRunRoutes(model, access);
  const sm = secretManagerRoutes(model, access);
  const tables: Array<Route<RouteHandler>[]> = [
    [
      { method: 'GET', route: '/v2/projects/{project}/locations/{location}/services/{service}', handler: run.service },
      {
        method: 'GET',
        route: '/v2/projects/{project}/locations/{location}/services/{service}/revisions/{revision}',
        handler: run.revision,
      },
    ],
    [
      { method: 'GET', route: '/v1/projects/{project}/secrets/{secret}/versions', handler: sm.list },
      { method: 'GET', route: '/v1/projects/{project}/secrets/{secret}/versions/{version}', handler: sm.version },
    ],
    [
      {
        method: 'POST',
        route: '/v2/entries:list',
        handler: loggingRoute(model, input.effects, access, input.requests),
      },
    ],
  ];
  const started: Array<{ url: string; close(): Promise<void> }> = [];
  try {
    for (const routes of tables) {
      let port = 0;
      const server = createServer(
        createListener({
          service: 'google',
          tracer: tracerFrom(undefined),
          record: input.record,
          port: () => port,
          resolve: createRouter(routes),
        }),
      );
      const life = await listen(server, input.host, 0);
      port = life.port;
      started.push({ url: originOf('http', input.host, port), close: life.close });
    }
  } catch (err) {
    await Promise.all(started.map((s) => s.close()));
    throw err;
  }
  const [runApi, secretApi, loggingApi] = started as [(typeof started)[0], (typeof started)[0], (typeof started)[0]];
  return {
    runUrl: runApi.url,
    secretManagerUrl: secretApi.url,
    loggingUrl: loggingApi.url,
    project: model.project,
    region: model.region,
    backendService: model.backendService,
    authService: model.authService,
    accessToken: access.token,
    close: async () => {
      await Promise.all(started.map((s) => s.close()));
    },
  };
}
