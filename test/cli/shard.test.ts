import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningDouble, startDouble } from '../../src/double/index.ts';
import type { Report } from '../../src/report/types.ts';
import { assertValidReport } from '../support/report-schema.ts';
import { runCli } from '../support/run-cli.ts';
import { testCredentials } from '../support/test-credentials.ts';

const credentials = testCredentials('shard');

describe('targets in a probe definition, sharded', () => {
  const doubles: RunningDouble[] = [];
  let dir: string;
  let definition: string;
  const env = { PROBE_E2E_BYPASS_KEY: credentials.bypassKey };

  before(async () => {
    doubles.push(
      await startDouble({ fault: 'healthy', credentials }),
      await startDouble({ fault: 'rest_500', credentials }),
      await startDouble({ fault: 'healthy', credentials }),
    );
    dir = await mkdtemp(join(tmpdir(), 'golden-probe-shard-'));
    definition = join(dir, 'three-targets.ts');
    const targets = doubles.map((d, i) => ({ name: `region-${i}`, apiUrl: d.apiUrl, authUrl: d.authUrl }));
    await writeFile(
      definition,
      `export const probe = { name: 'three', description: 'three targets', hops: ['login', 'token', ` +
        `'chat.messages.list'], hopTimeoutMs: {}, degradedMs: {}, agentRequest: '', targets: ` +
        `${JSON.stringify(targets)} };\n`,
    );
  });
  after(async () => {
    await Promise.all(doubles.map((d) => d.close()));
    await rm(dir, { recursive: true, force: true });
  });

  async function reportsIn(prefix: string): Promise<Report[]> {
    const files = (await readdir(dir)).filter((f) => f.startsWith(prefix) && f.endsWith('.json')).sort();
    return Promise.all(
      files.map(async (f) => {
        const report: unknown = JSON.parse(await readFile(join(dir, f), 'utf8'));
        assertValidReport(report, f);
        return report;
      }),
    );
  }

  it('runs every target without a shard, one report file each, and fails if any target fails', async () => {
    const out = await runCli(['run', '--probe', definition, '--json', join(dir, 'all.json'), '--log-level', 'silent'], {
      env,
    });
    assert.equal(out.code, 1, out.stderr);
    const reports = await reportsIn('all.');
    assert.deepEqual(
      reports.map((r) => [r.target.name, r.result]),
      [
        ['region-0', 'pass'],
        ['region-1', 'fail'],
        ['region-2', 'pass'],
      ],
    );
  });

  it('--shard 0/2 takes targets 0 and 2; CLOUD_RUN_TASK_INDEX=1 of 2 takes target 1', async () => {
    const first = await runCli(
      ['run', '--probe', definition, '--shard', '0/2', '--json', join(dir, 's0.json'), '--log-level', 'silent'],
      { env },
    );
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(
      (await reportsIn('s0.')).map((r) => r.target.name),
      ['region-0', 'region-2'],
    );

    const second = await runCli(
      ['run', '--probe', definition, '--json', join(dir, 's1.json'), '--log-level', 'silent'],
      {
        env: { ...env, CLOUD_RUN_TASK_INDEX: '1', CLOUD_RUN_TASK_COUNT: '2' },
      },
    );
    assert.equal(second.code, 1);
    const [only] = await reportsIn('s1.');
    assert.equal(only?.target.name, 'region-1');
    assert.equal(only?.verdict.code, 'BACKEND_ERROR');
  });

  it('rejects a shard outside the count', async () => {
    const out = await runCli(['run', '--probe', definition, '--shard', '2/2'], { env });
    assert.equal(out.code, 2);
    assert.match(out.stderr, /--shard: shard 2\/2 is not an index from 0 to count-1/);
  });
});
