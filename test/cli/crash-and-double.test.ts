import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type OtlpReceiver, startOtlpReceiver } from '../support/otlp-receiver.ts';
import { BIN, runCli } from '../support/run-cli.ts';

describe('a bug in the probe exits 3 and still flushes its spans', () => {
  let dir: string;
  let receiver: OtlpReceiver;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'golden-probe-crash-'));
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('an exception inside a hop is an internal error (exit 3), not a verdict', async () => {
    // A definition whose agent request throws when the agent.run hop reads it: an unexpected exception mid-run.
    const definition = join(dir, 'throws.ts');
    await writeFile(
      definition,
      `export const probe = { name: 'throws', description: '', hops: ['login', 'ws.connect', 'agent.run'], ` +
        `hopTimeoutMs: {}, degradedMs: {}, get agentRequest() { throw new Error('definition exploded'); } };\n`,
    );
    const out = await runCli(['demo', '--probe', definition], { env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
    assert.equal(out.code, 3, out.stderr);
    assert.match(out.stderr, /internal error \(a bug in the probe, please report it\): Error: definition exploded/);
    assert.equal(out.report, undefined);
    const root = receiver.spans.find((s) => s.name === 'golden_path' && s.attributes['probe.name'] === 'throws');
    assert.ok(root, 'the root span of the crashed run was flushed');
    assert.ok(receiver.spans.some((s) => s.traceId === root.traceId && s.name === 'login'));
  });

  it('a definition that cannot be loaded is a configuration error (exit 2)', async () => {
    const broken = join(dir, 'broken.ts');
    await writeFile(broken, `throw new Error('bad module');\n`);
    const out = await runCli(['demo', '--probe', broken]);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /--probe \/ PROBE_DEFINITION: .*broken\.ts could not be loaded: bad module/);
    const missing = await runCli(['demo', '--probe', 'no-such-probe']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no probe definition at .*no-such-probe\.ts \(names are files under probes\/\)/);
  });
});

describe('golden-probe double', () => {
  it('prints its URLs, serves until interrupted, and a run against it passes', async () => {
    const secrets = {
      PROBE_E2E_BYPASS_KEY: 'double-cmd-bypass-key-123456',
      PROBE_USER_EMAIL: 'double-cmd@staging.netrasystems.ai',
      PROBE_USER_PASSWORD: 'double-cmd-password-123456',
      PROBE_SERVICE_SECRET: 'double-cmd-service-secret-123456',
    };
    const child = spawn(process.execPath, [BIN, 'double', '--fault', 'healthy'], {
      env: { ...process.env, ...secrets },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stdout = '';
      const urls = await new Promise<Record<string, string>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URLs printed: ${stdout}`)), 15_000);
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
          const found = Object.fromEntries([...stdout.matchAll(/(PROBE_\w+_URL)=(\S+)/g)].map((m) => [m[1], m[2]]));
          if (found.PROBE_API_URL && found.PROBE_AUTH_URL && found.PROBE_WS_URL) {
            clearTimeout(timer);
            resolve(found as Record<string, string>);
          }
        });
      });
      assert.match(urls.PROBE_API_URL!, /^http:\/\/127\.0\.0\.1:\d+$/);
      for (const value of Object.values(secrets).filter((v) => !v.includes('@')))
        assert.ok(!stdout.includes(value), 'no secret printed');
      const out = await runCli(['run', '--log-level', 'silent'], { env: { ...secrets, ...urls } });
      assert.equal(out.code, 0, out.stderr);
      assert.equal(out.report?.verdict.code, 'PASS');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      assert.equal(await exited, 0, 'exits 0 when interrupted');
    }
  });
});
