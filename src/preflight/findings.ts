import type { ConfigFindingCode } from '../domain/verdict-codes.ts';
import type { ConfigFinding } from '../report/types.ts';
import type { AuthUrlIdentity } from './auth-url-identity.ts';
import {
  type DeploymentSnapshot,
  type MountedSecret,
  type RevisionSnapshot,
  type ServiceRole,
  secretShortName as shortName,
} from './deployment.ts';

const REQUIRED_VARIABLES = ['SERVICE_ID', 'SERVICE_SECRET', 'JWT_SECRET_KEY'] as const;
/** "All JWT secret names must map to the same secret" (deployment/secrets_config.py). */
const JWT_VARIABLES = ['JWT_SECRET', 'JWT_SECRET_KEY', 'JWT_SECRET_STAGING'] as const;

export interface Expectations {
  project: string;
  environment: string;
  /** The auth service URL the probe itself uses, when it has one. */
  authUrl: string | undefined;
  /** What the backend's AUTH_SERVICE_URL was found to be (absent: not checked, no finding). */
  authUrlIdentity?: AuthUrlIdentity;
}

type Parts = Omit<ConfigFinding, 'code'>;
const finding = (code: ConfigFindingCode, parts: Partial<Parts> & Pick<Parts, 'evidence' | 'fix'>): ConfigFinding => ({
  code,
  services: parts.services ?? [],
  variables: parts.variables ?? [],
  versions: parts.versions ?? [],
  times: parts.times ?? [],
  evidence: parts.evidence,
  fix: parts.fix,
});

const fullName = (project: string, secret: string) =>
  secret.startsWith('projects/') ? secret : `projects/${project}/secrets/${secret}`;
const uniq = <T>(xs: readonly T[]) => [...new Set(xs)];

/** Each service's revision with the most traffic: the one compared across services. */
function primaries(snapshot: DeploymentSnapshot): Partial<Record<ServiceRole, RevisionSnapshot>> {
  const out: Partial<Record<ServiceRole, RevisionSnapshot>> = {};
  for (const r of snapshot.revisions) out[r.role] ??= r;
  return out;
}

/**
 * Whether the service may read variables from a file the revision mounts. Netra's IsolatedEnvironment loads
 * config files in staging and production only with ENABLE_LOCAL_CONFIG_FILES=true, elsewhere `.env`/`.secrets`
 * from its working directory (shared/isolated_environment.py:220-255 at aebb16f77): with a secret mounted as a
 * file, a variable missing from the environment is not proven missing.
 */
function filesMayHoldVariables(r: RevisionSnapshot): boolean {
  if (r.secretFiles.size === 0) return false;
  const environment = (r.plain.get('ENVIRONMENT') ?? '').toLowerCase();
  const strict = environment === 'staging' || environment === 'production';
  return !strict || (r.plain.get('ENABLE_LOCAL_CONFIG_FILES') ?? '').toLowerCase() === 'true';
}

const missingFrom = (r: RevisionSnapshot) => REQUIRED_VARIABLES.filter((v) => !r.plain.has(v) && !r.secrets.has(v));

/** What the checks could not prove either way: one line each, for the evidence, never a finding. */
export function unprovenNotes(snapshot: DeploymentSnapshot): string[] {
  return [...missingButMaybeInFiles(snapshot), ...plainAgainstSecret(snapshot)];
}

/** A variable one service reads from Secret Manager and the other holds as a plain value (never read). */
function plainAgainstSecret(snapshot: DeploymentSnapshot): string[] {
  const { backend, auth } = primaries(snapshot);
  if (!backend || !auth) return [];
  const pairs: Array<[RevisionSnapshot, RevisionSnapshot]> = [
    [backend, auth],
    [auth, backend],
  ];
  return pairs.flatMap(([withSecret, withPlain]) =>
    [...withSecret.secrets.keys()]
      .filter((v) => withPlain.plain.has(v) && !withPlain.secrets.has(v))
      .map(
        (v) =>
          `${v}: ${withSecret.service} reads ${shortName(withSecret.secrets.get(v)!.secret)}, ${withPlain.service} a plain value (not read): whether they match is not known; not reported`,
      ),
  );
}

function missingButMaybeInFiles(snapshot: DeploymentSnapshot): string[] {
  return snapshot.revisions.flatMap((r) => {
    const missing = missingFrom(r);
    if (missing.length === 0 || !filesMayHoldVariables(r)) return [];
    const files = [...r.secretFiles].map(([secret, path]) => `${shortName(secret)} at ${path}`).join(', ');
    return [
      `${r.service} revision ${r.revision}: ${missing.join(', ')} not in its environment, but it mounts ${files} as files the service may load; not reported as missing`,
    ];
  });
}

function missingVariables(snapshot: DeploymentSnapshot, exp: Expectations): ConfigFinding[] {
  const out: ConfigFinding[] = [];
  for (const r of snapshot.revisions) {
    const missing = missingFrom(r);
    if (missing.length === 0 || filesMayHoldVariables(r)) continue;
    const other = snapshot.revisions.find((o) => o.role !== r.role);
    const mapping = missing.map(
      (v) =>
        `${v}=${shortName(other?.secrets.get(v)?.secret ?? `${v.toLowerCase().replace(/_key$/, '').replaceAll('_', '-')}-${exp.environment}`)}:latest`,
    );
    out.push(
      finding('CONFIG_VARIABLE_MISSING', {
        services: [r.service],
        variables: [...missing],
        times: [r.createTime],
        evidence: [`${r.service} revision ${r.revision} (${r.percent}% of traffic) has no ${missing.join(', ')}`],
        fix: `Redeploy ${r.service} with --set-secrets "${mapping.join(',')}": without ${missing.length > 1 ? 'them' : 'it'} its service-to-service auth fails.`,
      }),
    );
  }
  return out;
}

function describeMount(m: MountedSecret | undefined, plain: string | undefined): string {
  if (m)
    return `${shortName(m.secret)}:${m.requested}${m.held && m.requested !== String(m.held.number) ? ` (version ${m.held.number})` : ''}`;
  return plain !== undefined ? 'a plain value' : 'nothing';
}

const how = (m: MountedSecret) => (m.requested === 'latest' ? 'latest at its start' : 'pinned');

function splitAcrossServices(snapshot: DeploymentSnapshot, exp: Expectations): ConfigFinding[] {
  const { backend, auth } = primaries(snapshot);
  if (!backend || !auth) return [];
  const out: ConfigFinding[] = [];
  const shared = uniq([...backend.secrets.keys(), ...auth.secrets.keys()]).filter(
    (v) => !(JWT_VARIABLES as readonly string[]).includes(v),
  );
  for (const variable of shared) {
    const a = backend.secrets.get(variable);
    const b = auth.secrets.get(variable);
    if (!a && !backend.plain.has(variable)) continue; // absent on one side: a required one is reported as missing
    if (!b && !auth.plain.has(variable)) continue;
    // A plain value on one side is not read (it may hold the very secret's value): a note, not a finding.
    if (!a || !b) continue;
    const services = [backend.service, auth.service];
    const seen = `${variable}: ${backend.service} reads ${describeMount(a, backend.plain.get(variable))}, ${auth.service} reads ${describeMount(b, auth.plain.get(variable))}`;
    if (fullName(exp.project, a.secret) !== fullName(exp.project, b.secret)) {
      out.push(
        finding('CONFIG_SECRET_DIFFERS', {
          services,
          variables: [variable],
          evidence: [seen],
          fix: `Map ${variable} to the same secret on ${backend.service} and ${auth.service} (--set-secrets ${variable}=${shortName((b ?? a)?.secret ?? 'SECRET')}:latest) and redeploy the one that differs.`,
        }),
      );
      continue;
    }
    // The versions an instance may hold: a pinned one exactly; with `latest`, anything from what the revision
    // started with to the newest (an instance started since holds a newer one). Only ranges that do not meet
    // prove the services differ: a pinned version equal to the newest is what `latest` gives too.
    const range = (m: MountedSecret) =>
      m.requested === 'latest'
        ? [m.held?.number ?? 0, m.newest?.number ?? 0]
        : [m.held?.number ?? 0, m.held?.number ?? 0];
    const [aLow, aHigh] = range(a) as [number, number];
    const [bLow, bHigh] = range(b) as [number, number];
    if (a.held && b.held && (aHigh < bLow || bHigh < aLow)) {
      const [older, newer] = a.held.number < b.held.number ? [backend, auth] : [auth, backend];
      out.push(
        finding('CONFIG_SECRET_VERSION_DIFFERS', {
          services,
          variables: [variable],
          versions: [`${shortName(a.secret)}:${a.held.number}`, `${shortName(b.secret)}:${b.held.number}`],
          times: [a.held.createTime, b.held.createTime],
          evidence: [
            `${variable}: ${backend.service} holds ${shortName(a.secret)} version ${a.held.number} (${how(a)}), ` +
              `${auth.service} holds version ${b.held.number} (${how(b)})`,
          ],
          fix: `Give ${variable} the same version of ${shortName(a.secret)} on both services (map both to :latest), then redeploy ${older.service} (it holds the older one, ${newer.service} the newer).`,
        }),
      );
    }
  }
  return out;
}

function rotatedAfterStart(snapshot: DeploymentSnapshot): ConfigFinding[] {
  const out: ConfigFinding[] = [];
  for (const r of snapshot.revisions) {
    const bySecret = new Map<string, MountedSecret[]>();
    for (const m of r.secrets.values()) {
      if (m.requested !== 'latest' || !m.held || !m.newest || m.newest.number <= m.held.number) continue;
      bySecret.set(m.secret, [...(bySecret.get(m.secret) ?? []), m]);
    }
    for (const [secret, mounts] of bySecret) {
      const { held, newest } = mounts[0]!;
      const name = shortName(secret);
      out.push(
        finding('CONFIG_SECRET_ROTATED_AFTER_START', {
          services: [r.service],
          variables: mounts.map((m) => m.variable),
          versions: [`${name}:${held!.number}`, `${name}:${newest!.number}`],
          times: [r.createTime, newest!.createTime],
          evidence: [
            `${mounts.map((m) => m.variable).join(', ')}: ${r.service} revision ${r.revision} started ${r.createTime} with ${name} version ${held!.number}; version ${newest!.number} was added ${newest!.createTime}`,
          ],
          fix: `Redeploy ${r.service}: version ${newest!.number} of ${name} was added at ${newest!.createTime}, after revision ${r.revision} started, so instances that started before it still hold version ${held!.number}.`,
        }),
      );
    }
  }
  return out;
}

function jwtSplit(snapshot: DeploymentSnapshot): ConfigFinding[] {
  const revs = Object.values(primaries(snapshot));
  const targets: Array<{ service: string; variable: string; target: string }> = [];
  for (const r of revs) {
    for (const variable of JWT_VARIABLES) {
      const m = r.secrets.get(variable);
      if (m) targets.push({ service: r.service, variable, target: shortName(m.secret) });
      else if (r.plain.has(variable)) targets.push({ service: r.service, variable, target: 'a plain value' });
    }
  }
  // A plain value may hold the very secret's value (plain values are not read): only two different secrets
  // prove the split.
  const distinct = uniq(targets.map((t) => t.target));
  if (distinct.filter((d) => d !== 'a plain value').length <= 1) return [];
  const counts = distinct
    .map((d) => ({ d, n: targets.filter((t) => t.target === d).length }))
    .sort((a, b) => b.n - a.n);
  const common = counts.find((c) => c.d !== 'a plain value')?.d ?? 'jwt-secret';
  return [
    finding('CONFIG_JWT_SECRETS_SPLIT', {
      services: uniq(targets.map((t) => t.service)),
      variables: uniq(targets.map((t) => t.variable)),
      evidence: revs.map(
        (r) =>
          `${r.service}: ${
            targets
              .filter((t) => t.service === r.service)
              .map((t) => `${t.variable} → ${t.target}`)
              .join(', ') || 'no JWT variable'
          }`,
      ),
      fix: `Map ${JWT_VARIABLES.join(', ')} to the one secret ${common} on both services and redeploy them: tokens signed with one are rejected with the other.`,
    }),
  ];
}

function unusableVersions(snapshot: DeploymentSnapshot): ConfigFinding[] {
  const out: ConfigFinding[] = [];
  for (const r of snapshot.revisions) {
    for (const m of r.secrets.values()) {
      if (m.unread) continue;
      const name = shortName(m.secret);
      const mounted = m.requested === 'latest' ? m.newest : m.held;
      if (mounted?.state === 'ENABLED') continue;
      const what = mounted ? `version ${mounted.number} is ${mounted.state}` : `version ${m.requested} does not exist`;
      out.push(
        finding('CONFIG_SECRET_VERSION_UNUSABLE', {
          services: [r.service],
          variables: [m.variable],
          versions: [`${name}:${mounted?.number ?? m.requested}`],
          times: mounted ? [mounted.createTime] : [],
          evidence: [`${m.variable}: ${r.service} mounts ${name}:${m.requested}, and ${what}`],
          fix: `Enable or add a version of ${name} and point ${r.service}'s ${m.variable} at an ENABLED one: new instances of ${r.service} cannot start with ${what}.`,
        }),
      );
    }
  }
  return out;
}

function authUrlMismatch(snapshot: DeploymentSnapshot, exp: Expectations): ConfigFinding[] {
  const { backend } = primaries(snapshot);
  // Only a proven mismatch is a finding; the pre-flight asks the URL itself (auth-url-identity.ts).
  if (!backend || exp.authUrlIdentity?.kind !== 'mismatch') return [];
  const known = uniq([...(exp.authUrl ? [exp.authUrl] : []), ...(snapshot.services.auth?.urls ?? [])]);
  return [
    finding('CONFIG_AUTH_URL_MISMATCH', {
      services: [backend.service],
      variables: ['AUTH_SERVICE_URL'],
      evidence: [
        `${backend.service} revision ${backend.revision}: AUTH_SERVICE_URL ${exp.authUrlIdentity.why}; the auth service is ${known.join(' or ') || 'not known to the probe'}`,
      ],
      fix: `Set AUTH_SERVICE_URL=${known[0] ?? "<the auth service's URL>"} on ${backend.service} and redeploy it.`,
    }),
  ];
}

function environmentMismatch(snapshot: DeploymentSnapshot, exp: Expectations): ConfigFinding[] {
  return Object.values(primaries(snapshot)).flatMap((r) => {
    const env = r.plain.get('ENVIRONMENT');
    if (env === exp.environment || r.secrets.has('ENVIRONMENT')) return [];
    return [
      finding('CONFIG_ENVIRONMENT_MISMATCH', {
        services: [r.service],
        variables: ['ENVIRONMENT'],
        evidence: [
          `${r.service} revision ${r.revision}: ENVIRONMENT ${env === undefined ? 'is not set' : `is ${env.slice(0, 40)}`}, expected ${exp.environment}`,
        ],
        fix: `Set ENVIRONMENT=${exp.environment} on ${r.service} and redeploy it (its auth and E2E behaviour depend on it).`,
      }),
    ];
  });
}

/** Every problem in the snapshot, most likely cause first. Pure: the snapshot holds all it needs. */
export function findProblems(snapshot: DeploymentSnapshot, exp: Expectations): ConfigFinding[] {
  return [
    ...missingVariables(snapshot, exp),
    ...splitAcrossServices(snapshot, exp),
    ...rotatedAfterStart(snapshot),
    ...jwtSplit(snapshot),
    ...unusableVersions(snapshot),
    ...authUrlMismatch(snapshot, exp),
    ...environmentMismatch(snapshot, exp),
  ];
}
