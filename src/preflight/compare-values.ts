import type { SecretManagerReader } from '../gcp/secret-manager.ts';
import { troubleLine } from '../gcp/trouble-line.ts';
import type { ConfigFinding } from '../report/types.ts';
import { type DeploymentSnapshot, type MountedSecret, secretShortName as shortName } from './deployment.ts';

/**
 * With --compare-secret-values: where the two services hold a variable from different secrets or versions,
 * compare SHA-256 fingerprints of the two values. Equal values clear the split; different ones are a finding.
 * Fingerprints live only inside this function: no value and no fingerprint reaches any output.
 */
export async function compareSecretValues(
  snapshot: DeploymentSnapshot,
  findings: readonly ConfigFinding[],
  secrets: SecretManagerReader,
  project: string,
  signal: AbortSignal,
): Promise<{ findings: ConfigFinding[]; notes: string[]; trouble: string[] }> {
  const backend = snapshot.revisions.find((r) => r.role === 'backend');
  const auth = snapshot.revisions.find((r) => r.role === 'auth');
  const notes: string[] = [];
  const trouble: string[] = [];
  let kept = [...findings];
  if (!backend || !auth) return { findings: kept, notes, trouble };
  const cache = new Map<string, Promise<string>>();
  const fingerprint = (m: MountedSecret) => {
    const key = `${m.secret}#${m.held!.number}`;
    let p = cache.get(key);
    if (!p) {
      p = secrets.fingerprint(m.secret, m.held!.number, signal);
      cache.set(key, p);
    }
    return p;
  };
  for (const [variable, a] of backend.secrets) {
    const b = auth.secrets.get(variable);
    if (!b || !a.held || !b.held) continue;
    if (a.secret === b.secret && a.held.number === b.held.number) continue;
    let same: boolean;
    try {
      const [fa, fb] = await Promise.all([fingerprint(a), fingerprint(b)]);
      same = fa === fb;
    } catch (err) {
      trouble.push(troubleLine('secret-values', `the value of ${variable}`, err, { project }));
      continue;
    }
    const versions = [`${shortName(a.secret)}:${a.held.number}`, `${shortName(b.secret)}:${b.held.number}`];
    if (same) {
      kept = kept.filter(
        (f) =>
          !(
            f.variables.includes(variable) &&
            (f.code === 'CONFIG_SECRET_DIFFERS' || f.code === 'CONFIG_SECRET_VERSION_DIFFERS')
          ),
      );
      notes.push(
        `${variable}: ${versions.join(' and ')} hold the same value (SHA-256 fingerprints compared, not shown)`,
      );
      continue;
    }
    kept.push({
      code: 'CONFIG_SECRET_VALUES_DIFFER',
      services: [backend.service, auth.service],
      variables: [variable],
      versions,
      times: [a.held.createTime, b.held.createTime],
      evidence: [
        `${variable}: ${backend.service} holds ${versions[0]}, ${auth.service} holds ${versions[1]}, and their ` +
          `values differ (SHA-256 fingerprints compared, not shown)`,
      ],
      fix: `Make ${variable} the same value on both services: map both to one secret version and redeploy ${backend.service} and ${auth.service}.`,
    });
  }
  return { findings: kept, notes, trouble };
}
