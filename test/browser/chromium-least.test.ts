// Issue 21, item 4: Chromium gets the least. While the real probe's Chromium waits on a frontend that never
// answers, the test reads every Chromium process's /proc/<pid>/environ and command line: no secret, no
// PROBE_* or Google variable in the environment; --no-sandbox only as root (said in the log); as uid 1000
// (the image's user) the sandbox is on, its renderers in a user namespace of their own.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chown, readdir, readFile, readlink } from 'node:fs/promises';
import { describe, it, type TestContext } from 'node:test';
import { BIN } from '../support/run-cli.ts';
import { CHROMIUM, hangingLogin, pollUntil, probeTmpDir, SKIP_NO_CHROMIUM } from './support.ts';

const credentials = {
  bypassKey: 'least-chromium-bypass-key-4d3c2b1a',
  userEmail: 'least-chromium@staging.netrasystems.ai',
  userPassword: 'least-chromium-password-9f8e7d',
  serviceSecret: 'least-chromium-service-secret-6a5b',
  jwtSecret: 'least-chromium-jwt-secret-long-enough-0123456789',
};
const GOOGLE_TOKEN = 'ya29.least-chromium-google-access-token-1234';
const SECRETS = [credentials.bypassKey, credentials.userPassword, credentials.serviceSecret, GOOGLE_TOKEN];

interface Seen {
  pid: string;
  environ: string[];
  cmdline: string[];
  userNs: string;
}

/** Every process descended from `root` (the probe), read from /proc: Chromium's browser, zygotes, renderers. */
async function chromiumProcesses(root: number): Promise<Seen[]> {
  const parent = new Map<string, string>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      parent.set(entry, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]!);
    } catch {
      // gone meanwhile
    }
  }
  const descends = (pid: string): boolean => {
    for (let p = parent.get(pid), hops = 0; p !== undefined && hops < 20; p = parent.get(p), hops++)
      if (p === String(root)) return true;
    return false;
  };
  const seen: Seen[] = [];
  for (const pid of parent.keys()) {
    if (!descends(pid)) continue;
    try {
      const environ = (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0').filter(Boolean);
      // Chromium rewrites its children's titles: arguments may come joined by spaces in one string.
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split(/[\0 ]/).filter(Boolean);
      if (!/chrom/.test(cmdline[0] ?? '')) continue;
      seen.push({ pid, environ, cmdline, userNs: await readlink(`/proc/${pid}/ns/user`) });
    } catch {
      // gone meanwhile
    }
  }
  return seen;
}

describe('Chromium with the least', { skip: SKIP_NO_CHROMIUM }, () => {
  const stage = hangingLogin(credentials);

  /** The probe's browser login as `uid`, stopped (SIGTERM) once Chromium asked the frontend for its page. */
  async function watchLaunch(
    uid: number | undefined,
  ): Promise<{ processes: Seen[]; stdout: string; stderr: string; probeNames: string[] }> {
    const tmp = await probeTmpDir();
    if (uid !== undefined) await chown(tmp.dir, uid, uid);
    const probeEnvironment: Record<string, string | undefined> = {
      PATH: process.env.PATH,
      TMPDIR: tmp.dir,
      PROBE_CHROMIUM_PATH: CHROMIUM,
      PROBE_API_URL: stage.double.apiUrl,
      PROBE_AUTH_URL: stage.double.authUrl,
      PROBE_FRONTEND_URL: stage.hanging.url,
      PROBE_USER_EMAIL: credentials.userEmail,
      PROBE_USER_PASSWORD: credentials.userPassword,
      PROBE_E2E_BYPASS_KEY: credentials.bypassKey,
      PROBE_SERVICE_SECRET: credentials.serviceSecret,
      PROBE_GCP_ACCESS_TOKEN: GOOGLE_TOKEN,
      GOOGLE_APPLICATION_CREDENTIALS: '/nonexistent/least-chromium-key.json',
      GOOGLE_CLOUD_PROJECT: 'least-chromium-project',
      OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer ${GOOGLE_TOKEN}`,
      LEAST_CHROMIUM_CANARY: 'probe-only-variable',
    };
    try {
      const child = spawn(process.execPath, [BIN, 'run', '--login', 'browser', '--timeout-ms', '20000'], {
        ...(uid === undefined ? {} : { uid, gid: uid }),
        stdio: ['ignore', 'pipe', 'pipe'],
        env: probeEnvironment,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<void>((r) => child.on('close', () => r()));
      const killer = setTimeout(() => child.kill('SIGKILL'), 40_000);
      const seen = stage.hanging.requests.length;
      await Promise.race([
        pollUntil(
          async () => stage.hanging.requests.length,
          (n) => n > seen,
          30_000,
        ),
        exited,
      ]);
      const processes = await chromiumProcesses(child.pid!);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(killer);
      return { processes, stdout, stderr, probeNames: Object.keys(probeEnvironment) };
    } finally {
      await tmp.remove();
    }
  }

  function assertLeastEnvironment(processes: Seen[], probeNames: readonly string[]): void {
    assert.ok(processes.length > 0, 'Chromium processes were found while it ran');
    for (const p of processes) {
      // Debian's /usr/bin/chromium wrapper (/etc/chromium.d/) adds its own public GOOGLE_API_KEY and
      // GOOGLE_DEFAULT_CLIENT_*: those are Chromium's, not the probe's. None of the probe's may be there.
      const names = p.environ.map((kv) => kv.split('=', 1)[0]!);
      assert.deepEqual(
        names.filter((n) => probeNames.includes(n) && !['PATH', 'TMPDIR'].includes(n)),
        [],
        `pid ${p.pid} has none of the probe's variables`,
      );
      const whole = p.environ.join('\n');
      for (const secret of SECRETS) assert.ok(!whole.includes(secret), `pid ${p.pid}'s environment holds no secret`);
      assert.ok(!p.cmdline.join(' ').includes(credentials.userPassword), 'nor its command line');
    }
  }

  it('as the current user: an environment without secrets; --no-sandbox only as root, said in the log', async () => {
    const { processes, stdout, probeNames } = await watchLaunch(undefined);
    assertLeastEnvironment(processes, probeNames);
    const noSandbox = processes.some((p) => p.cmdline.includes('--no-sandbox'));
    const root = process.getuid?.() === 0;
    assert.equal(noSandbox, root, root ? 'root: Chromium cannot sandbox itself' : 'not root: the sandbox is on');
    assert.equal(stdout.includes('"event":"browser.no_sandbox"'), root, 'the log says when the sandbox is off');
  });

  it('as uid 1000 (the image’s user): the sandbox is on, renderers in a user namespace of their own', async (t: TestContext) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to start the probe as uid 1000');
    const { processes, stdout, stderr, probeNames } = await watchLaunch(1000);
    if (/No usable sandbox|user namespaces/.test(stdout + stderr))
      return t.skip('this machine refuses unprivileged user namespaces: Chromium cannot sandbox itself here');
    if (processes.length === 0 && /EACCES|permission denied|Cannot find module/i.test(stderr))
      return t.skip('uid 1000 cannot read this checkout (its directories are not world-readable)');
    assertLeastEnvironment(processes, probeNames);
    assert.ok(
      processes.every((p) => !p.cmdline.includes('--no-sandbox')),
      'no --no-sandbox anywhere',
    );
    const browser = processes.find((p) => !p.cmdline.some((a) => a.startsWith('--type=')));
    const renderers = processes.filter((p) => p.cmdline.includes('--type=renderer'));
    assert.ok(browser, 'the browser process');
    assert.ok(renderers.length > 0, 'a renderer');
    for (const r of renderers)
      assert.notEqual(r.userNs, browser.userNs, `renderer ${r.pid} is in its own user namespace`);
    assert.ok(!stdout.includes('browser.no_sandbox'));
  });
});
