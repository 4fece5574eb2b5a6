// Issue 22 item 5: `double --write-env PATH` (not --env-file: Node takes that one itself, nodejs/node#54232) drives `run`, `preflight` and `serve` from a second shell that only
// `source`s the file; the file is 0600, never overwritten, and goes when the double stops.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, runCli } from '../support/run-cli.ts';

let dir: string;
let envFile: string;
let double: ChildProcess;
let doubleOut = '';
/** The file's secret values (read by the first test), checked absent from every output a failure message prints. */
const SECRET_VARS = ['PROBE_E2E_BYPASS_KEY', 'PROBE_USER_PASSWORD', 'PROBE_SERVICE_SECRET', 'PROBE_GCP_ACCESS_TOKEN'];
const secrets: string[] = [];
const assertNoSecret = (text: string) => {
  assert.ok(secrets.length > 0, 'the secrets were read from the file');
  for (const [i, secret] of secrets.entries()) assert.ok(!text.includes(secret), `${SECRET_VARS[i]} in the output`);
};

/** A shell that knows only what the file says (no PROBE_* from this process), running one golden-probe command. */
function spawnSecondShell(command: string): ChildProcess {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('PROBE_') && !k.startsWith('OTEL_') && k !== 'NODE_TEST_CONTEXT' && k !== 'PORT') env[k] = v;
  return spawn('bash', ['-c', `source "${envFile}" && exec "${process.execPath}" "${BIN}" ${command}`], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function secondShell(command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnSecondShell(command);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'golden-probe-envfile-'));
  envFile = join(dir, 'double.env');
  double = spawn(process.execPath, [BIN, 'double', '--write-env', envFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`double did not start: ${doubleOut}`)), 20_000);
    double.stdout!.on('data', (c: Buffer) => {
      doubleOut += c.toString();
      if (doubleOut.includes('Ctrl-C')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
});
after(async () => {
  if (double.exitCode === null) {
    const exited = new Promise((r) => double.on('exit', r));
    double.kill('SIGINT');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
});

describe('double --write-env', () => {
  it('writes every variable a second shell needs, 0600, and says how to use it; no secret on its stdout', async () => {
    const text = await readFile(envFile, 'utf8');
    assert.equal((await stat(envFile)).mode & 0o777, 0o600);
    for (const name of [
      'PROBE_API_URL',
      'PROBE_AUTH_URL',
      'PROBE_WS_URL',
      'PROBE_E2E_BYPASS_KEY',
      'PROBE_USER_EMAIL',
      'PROBE_USER_PASSWORD',
      'PROBE_SERVICE_SECRET',
      'PROBE_GCP_PROJECT',
      'PROBE_GCP_REGION',
      'PROBE_BACKEND_SERVICE',
      'PROBE_AUTH_SERVICE',
      'PROBE_GCP_RUN_URL',
      'PROBE_GCP_SECRET_MANAGER_URL',
      'PROBE_GCP_LOGGING_URL',
      'PROBE_GCP_ACCESS_TOKEN',
    ])
      assert.match(text, new RegExp(`^export ${name}='[^']+'$`, 'm'), name);
    for (const name of SECRET_VARS) {
      const secret = new RegExp(`^export ${name}='([^']+)'$`, 'm').exec(text)![1]!;
      secrets.push(secret);
      assert.ok(!doubleOut.includes(secret), `${name} is in the file, not on the terminal`);
    }
    assert.match(doubleOut, new RegExp(`source ${envFile.replaceAll('/', '\\/')} && npx golden-probe run`));
    assert.match(doubleOut, /serve --allow-unauthenticated/);
  });

  it('run from a second shell: the whole path passes, hop config reading the Google fakes', async () => {
    const json = join(dir, 'run.json');
    const out = await secondShell(`run --log-level silent --json "${json}"`);
    assertNoSecret(out.stdout + out.stderr);
    assert.equal(out.code, 0, out.stderr);
    const report = JSON.parse(await readFile(json, 'utf8')) as {
      verdict: { code: string };
      hops: { name: string; status: string }[];
    };
    assert.equal(report.verdict.code, 'PASS');
    assert.deepEqual(report.hops.find((h) => h.name === 'config')?.status, 'pass');
  });

  it('preflight from a second shell reads the same fakes', async () => {
    const out = await secondShell('preflight');
    assertNoSecret(out.stdout + out.stderr);
    assert.equal(out.code, 0, out.stdout + out.stderr);
    assert.match(out.stdout, /^OK {2}no problem found in the deployed configuration$/m);
    assert.match(out.stdout, /netra-backend-staging: revision .* serves 100% of traffic/);
  });

  it('serve --allow-unauthenticated from a second shell: POST /run answers a passing report; SIGTERM exits 0', async () => {
    // As the README's recipe, on a free port (--port 0) and with no scheduled run but the first.
    const serve = spawnSecondShell('serve --allow-unauthenticated --port 0 --every 1h');
    let stdout = '';
    let stderr = '';
    serve.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => serve.on('close', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serve did not listen:\n${stdout}\n${stderr}`)), 20_000);
        serve.stdout!.on('data', (c: Buffer) => {
          stdout += c.toString();
          const listening = /"event":"listening","url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(stdout);
          if (listening) {
            clearTimeout(timer);
            resolve(listening[1]!);
          }
        });
        void exited.then((code) => reject(new Error(`serve exited ${code}:\n${stdout}\n${stderr}`)));
      });
      const answer = await fetch(`${url}/run`, { method: 'POST', signal: AbortSignal.timeout(20_000) });
      assert.equal(answer.status, 200);
      const report = (await answer.json()) as { result: string; verdict: { code: string } };
      assert.deepEqual({ result: report.result, code: report.verdict.code }, { result: 'pass', code: 'PASS' });
      serve.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
    } finally {
      if (serve.exitCode === null) serve.kill('SIGKILL');
    }
  });

  it('an existing file is never overwritten: exit 2 before anything starts', async () => {
    const taken = join(dir, 'taken.env');
    await writeFile(taken, 'keep me\n');
    const out = await runCli(['double', '--write-env', taken]);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /--write-env: .*taken\.env exists; remove it or choose another path/);
    assert.equal(await readFile(taken, 'utf8'), 'keep me\n');
  });

  it('the file goes when the double stops', async () => {
    const exited = new Promise((r) => double.on('exit', r));
    double.kill('SIGINT');
    await exited;
    assert.equal(existsSync(envFile), false);
  });

  it('--print-env prints the same lines on stdout, ready to eval', async () => {
    const child = spawn(process.execPath, [BIN, 'double', '--print-env'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise<void>((resolve) =>
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (/^export PROBE_GCP_ACCESS_TOKEN='[^']+'$/m.test(out)) resolve();
      }),
    );
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGINT');
    await exited;
    assert.match(out, /^export PROBE_API_URL='http:\/\/127\.0\.0\.1:\d+'$/m);
    assert.match(out, /^export PROBE_SERVICE_SECRET='[^']+'$/m);
    assert.doesNotMatch(out, /generated at random \(not shown\)/);
  });
});
