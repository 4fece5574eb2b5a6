// The deployment the Google fakes show: two Cloud Run services with one serving revision each, and the
// Secret Manager secrets their environments name, laid out as the fault's GoogleEffects say.
import { randomBytes } from 'node:crypto';
import type { GoogleEffects } from '../fault-effects.ts';
import type { GoogleOptions } from '../types.ts';

export interface FakeSecretVersion {
  number: number;
  state: 'ENABLED' | 'DISABLED' | 'DESTROYED';
  createTime: string;
  value: string;
}

export type FakeEnvVar =
  | { name: string; value: string }
  | { name: string; valueSource: { secretKeyRef: { secret: string; version: string } } };

export interface FakeRevision {
  name: string;
  createTime: string;
  env: FakeEnvVar[];
}

export interface FakeService {
  name: string;
  uri: string;
  revision: FakeRevision;
}

export interface GoogleModel {
  project: string;
  region: string;
  services: Map<string, FakeService>;
  secrets: Map<string, FakeSecretVersion[]>;
  backendService: string;
  authService: string;
}

export interface ModelInput {
  effects: GoogleEffects;
  project: string;
  region: string;
  backendService: string;
  authService: string;
  apiUrl: string;
  authUrl: string;
  serviceSecret: string;
  jwtSecret: string;
  now: number;
  /** A test's own changes, applied after the fault's layout. */
  tamper: Pick<GoogleOptions, 'env' | 'versionStates'>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Google's timestamps: RFC 3339, Z, nanosecond digits. */
const rfc3339 = (ms: number) => `${new Date(ms).toISOString().slice(0, 23)}456789Z`;
const suffix = () => randomBytes(2).toString('hex').slice(0, 3);

const secretRef = (name: string, secret: string, version = 'latest'): FakeEnvVar => ({
  name,
  valueSource: { secretKeyRef: { secret, version } },
});

export function buildGoogleModel(input: ModelInput): GoogleModel {
  const { effects, now } = input;
  const backendStarted = now - 3 * HOUR;
  const authStarted = now - 2 * HOUR;
  const serviceSecretVersions: FakeSecretVersion[] = [
    { number: 7, state: 'ENABLED', createTime: rfc3339(now - 20 * DAY), value: input.serviceSecret },
  ];
  // The auth service's rotated SERVICE_SECRET is version 8, added between the two services' starts.
  if (effects.deployment === 'pinned_versions_split' || effects.deployment === 'rotated_after_backend_start') {
    serviceSecretVersions.unshift({
      number: 8,
      state: 'ENABLED',
      createTime: rfc3339(now - 150 * 60_000),
      value: randomBytes(24).toString('base64url'),
    });
  }
  const secrets = new Map<string, FakeSecretVersion[]>([
    [
      'jwt-secret-staging',
      [{ number: 3, state: 'ENABLED', createTime: rfc3339(now - 30 * DAY), value: input.jwtSecret }],
    ],
    ['service-secret-staging', serviceSecretVersions],
    [
      'service-id-staging',
      [{ number: 1, state: 'ENABLED', createTime: rfc3339(now - 30 * DAY), value: 'netra-backend' }],
    ],
    // The same value under another name, as a hand-made copy leaves it: a split by name, not by value.
    [
      'service-secret-copy',
      [{ number: 1, state: 'ENABLED', createTime: rfc3339(now - 10 * DAY), value: input.serviceSecret }],
    ],
    [
      'database-url-staging',
      [
        {
          number: 2,
          state: 'ENABLED',
          createTime: rfc3339(now - 30 * DAY),
          value: 'postgresql://double.invalid/netra',
        },
      ],
    ],
  ]);
  const pinned = effects.deployment === 'pinned_versions_split';
  const shared = (serviceSecretVersion: string): FakeEnvVar[] => [
    { name: 'ENVIRONMENT', value: 'staging' },
    secretRef('JWT_SECRET', 'jwt-secret-staging'),
    secretRef('JWT_SECRET_KEY', 'jwt-secret-staging'),
    secretRef('JWT_SECRET_STAGING', 'jwt-secret-staging'),
    secretRef('SERVICE_SECRET', 'service-secret-staging', serviceSecretVersion),
    secretRef('SERVICE_ID', 'service-id-staging'),
    secretRef('DATABASE_URL', 'database-url-staging'),
  ];
  const backendEnv = [...shared(pinned ? '7' : 'latest'), { name: 'AUTH_SERVICE_URL', value: input.authUrl }].filter(
    (e) => !(effects.deployment === 'backend_without_service_id' && e.name === 'SERVICE_ID'),
  );
  const backend: FakeService = {
    name: input.backendService,
    uri: input.apiUrl,
    revision: {
      name: `${input.backendService}-00042-${suffix()}`,
      createTime: rfc3339(backendStarted),
      env: backendEnv,
    },
  };
  const auth: FakeService = {
    name: input.authService,
    uri: input.authUrl,
    revision: {
      name: `${input.authService}-00017-${suffix()}`,
      createTime: rfc3339(authStarted),
      env: shared(pinned ? '8' : 'latest'),
    },
  };
  applyEnv(backend.revision, input.tamper.env?.backend);
  applyEnv(auth.revision, input.tamper.env?.auth);
  for (const [key, state] of Object.entries(input.tamper.versionStates ?? {})) {
    const [secret, number] = key.split(':');
    const version = secrets.get(secret ?? '')?.find((v) => String(v.number) === number);
    if (version) version.state = state;
  }
  return {
    project: input.project,
    region: input.region,
    services: new Map([
      [backend.name, backend],
      [auth.name, auth],
    ]),
    secrets,
    backendService: input.backendService,
    authService: input.authService,
  };
}

function applyEnv(revision: FakeRevision, changes: NonNullable<GoogleOptions['env']>['backend']): void {
  for (const [name, change] of Object.entries(changes ?? {})) {
    revision.env = revision.env.filter((e) => e.name !== name);
    if (change === null) continue;
    revision.env.push(
      'value' in change ? { name, value: change.value } : secretRef(name, change.secret, change.version),
    );
  }
}
