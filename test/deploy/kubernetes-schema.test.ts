// scheduling/kubernetes/*.yaml validated with ajv against the Kubernetes API's own schema (a strict copy kept in
// schemas/kubernetes.json, see schemas/README.md): a misspelt field is an error, as kubectl's server-side
// field validation would make it. Seeded misspellings show each check failing.
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { type Misspelling, REPO, seededCopy } from './deploy-files.ts';

const MANIFEST = 'kubernetes/cronjob.yaml';
const schema = JSON.parse(await readFile(new URL('./schemas/kubernetes.json', import.meta.url), 'utf8')) as {
  definitions: object;
};
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema({ $id: 'k8s', ...schema });
const KINDS: Record<string, string> = { 'batch/v1 CronJob': 'V1CronJob', 'v1 ServiceAccount': 'V1ServiceAccount' };

/** Every document's schema errors, as "Kind path: message"; an unknown kind is an error too. */
function manifestProblems(text: string): string[] {
  const problems: string[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) problems.push(...doc.errors.map((e) => e.message));
    const object = doc.toJS() as { apiVersion?: string; kind?: string } | null;
    if (!object) continue;
    const definition = KINDS[`${object.apiVersion} ${object.kind}`];
    if (!definition) {
      problems.push(`no schema kept for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    const validate = ajv.getSchema(`k8s#/definitions/${definition}`);
    assert.ok(validate);
    if (!validate(object)) {
      for (const e of validate.errors ?? [])
        problems.push(`${object.kind} ${e.instancePath}: ${e.message} ${JSON.stringify(e.params)}`);
    }
  }
  return problems;
}

const MISSPELLINGS: Misspelling[] = [
  { file: MANIFEST, from: 'concurrencyPolicy:', to: 'concurrencyPolicyy:' },
  { file: MANIFEST, from: 'activeDeadlineSeconds:', to: 'activeDeadlineSecond:' },
  { file: MANIFEST, from: 'ttlSecondsAfterFinished:', to: 'ttlSecondAfterFinished:' },
  { file: MANIFEST, from: 'secretKeyRef:', to: 'secretKeyRefs:' },
  { file: MANIFEST, from: 'readOnlyRootFilesystem:', to: 'readOnlyRootFileSystem:' },
  { file: MANIFEST, from: 'serviceAccountName:', to: 'serviceAccount_name:' },
  { file: MANIFEST, from: 'sizeLimit:', to: 'size_limit:' },
  { file: MANIFEST, from: 'apiVersion: batch/v1', to: 'apiVersion: batch/v1beta1' },
];

describe('scheduling/kubernetes against the Kubernetes API schema', () => {
  it('every document is a kind the API knows, with only fields it declares', async () => {
    const text = await readFile(join(REPO, 'scheduling', MANIFEST), 'utf8');
    assert.equal(parseAllDocuments(text).length, 2, 'the ServiceAccount and the CronJob');
    assert.deepEqual(manifestProblems(text), []);
  });

  for (const mistake of MISSPELLINGS) {
    it(`fails with ${mistake.from} misspelt ${mistake.to}`, async () => {
      const dir = await seededCopy(mistake);
      try {
        const problems = manifestProblems(await readFile(join(dir, mistake.file), 'utf8'));
        assert.ok(problems.length > 0, 'the seeded copy must not validate');
      } finally {
        await rm(dirname(dir), { recursive: true, force: true });
      }
    });
  }
});
