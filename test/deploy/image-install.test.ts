// The container image's install, performed without Docker: the same files the Dockerfile copies, the same
// `npm ci --omit=dev`, in a fresh directory, then the CLI run from there under Node 24. This catches a
// runtime import of a devDependency, a file the image forgets, or a path that only works from the repo.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO, readRepoFile } from './deploy-files.ts';

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command with a hard time limit; the child is killed when it runs over. */
function run(
  command: string,
  args: readonly string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * The parent's environment with Node 24 first on PATH (npm runs on it, as in the image) and nothing that steers the
 * probe.
 */
function imageLikeEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      k.startsWith('PROBE_') ||
      k.startsWith('OTEL_') ||
      k.startsWith('npm_') ||
      k === 'NODE_TEST_CONTEXT' ||
      k === 'NODE_OPTIONS'
    )
      continue;
    env[k] = v;
  }
  env.PATH = [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter);
  env.NODE_ENV = 'production';
  return env;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('the image install (npm ci --omit=dev of package.json, package-lock.json, bin, src, probes)', {
  timeout: 300_000,
}, () => {
  let dir: string;
  let app: string;
  const env = imageLikeEnv();
  const pkg = JSON.parse(readRepoFile('package.json')) as {
    version: string;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'golden-probe-image-'));
    app = join(dir, 'app');
    for (const entry of ['package.json', 'package-lock.json', 'bin', 'src', 'probes']) {
      await cp(join(REPO, entry), join(app, entry), { recursive: true });
    }
    const install = await run('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: app,
      env,
      timeoutMs: 240_000,
    });
    assert.equal(install.code, 0, `npm ci failed:\n${install.stderr.slice(-3000)}`);
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('installs the production dependencies and none of the dev ones', async () => {
    for (const name of Object.keys(pkg.dependencies))
      assert.ok(await exists(join(app, 'node_modules', name)), `${name} installed`);
    // A dev dependency that a production package also needs (protobufjs, under the OTLP/gRPC exporter,
    // declares @types/node) is in the image by right; the lock file says which: no `dev: true`.
    const lock = JSON.parse(readRepoFile('package-lock.json')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.keys(pkg.devDependencies).filter((n) => lock.packages[`node_modules/${n}`]?.dev === true);
    assert.ok(devOnly.includes('typescript'), 'the lock file marks dev-only packages');
    for (const name of devOnly) {
      assert.ok(!(await exists(join(app, 'node_modules', name))), `${name} (dev) not installed`);
    }
  });

  it('bin/golden-probe.js --version answers under Node 24', async () => {
    const out = await run(process.execPath, [join(app, 'bin', 'golden-probe.js'), '--version'], {
      cwd: dir,
      env,
      timeoutMs: 30_000,
    });
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout.trim(), `golden-path-probe ${pkg.version}`);
  });

  it('bin/golden-probe.js demo passes and writes its report', async () => {
    const reportPath = join(dir, 'r.json');
    const out = await run(process.execPath, [join(app, 'bin', 'golden-probe.js'), 'demo', '--json', reportPath], {
      cwd: dir,
      env,
      timeoutMs: 90_000,
    });
    assert.equal(
      out.code,
      0,
      `demo exited ${String(out.code)}\n${out.stdout.slice(-2000)}\n${out.stderr.slice(-2000)}`,
    );
    const report = JSON.parse(await readFile(reportPath, 'utf8')) as { result: string; verdict: { code: string } };
    assert.equal(report.result, 'pass');
    assert.equal(report.verdict.code, 'PASS');
  });
});
