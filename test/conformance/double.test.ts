// Connect-time recordings against the double: the double's fault sends the recorded shape (type, data's keys,
// error code, close), and a run of the real CLI against it gives the verdict the recording implies for a
// probe whose token is good. The shapes come from the fixtures (the real backend), never from the double.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FAST } from '../support/fault-rows.ts';
import { runCli } from '../support/run-cli.ts';

interface Entry {
  dir: 'sent' | 'received' | 'closed';
  frame: string;
  code?: number;
}

const PAIRS = [
  // The recorded welcome shapes open the socket: with the probe's own user in them, ws.connect and agent.run pass.
  { fixture: 'staging-2025-09-13-connect-welcome-demo-user', fault: 'welcome_connect', code: 'PASS', hop: null },
  { fixture: 'staging-2025-09-10-system-message-welcome', fault: 'welcome_system_message', code: 'PASS', hop: null },
  // The backend's own crash is a backend error, whatever the token.
  {
    fixture: 'staging-2025-09-15-connection-error-1011',
    fault: 'ws_backend_crash',
    code: 'BACKEND_ERROR',
    hop: 'ws.connect',
  },
  // AUTH_FAILED then 1008 for a token the auth service calls valid: the backend rejects a valid token.
  {
    fixture: 'source-aebb16f77-auth-failed-1008',
    fault: 'ws_auth_failed',
    code: 'BACKEND_REJECTS_VALID_TOKEN',
    hop: 'ws.connect',
  },
] as const;

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'golden-probe-conformance-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function entries(path: string): Promise<Entry[]> {
  const lines = (await readFile(path, 'utf8')).trim().split('\n');
  return lines.slice(1).map((l) => JSON.parse(l) as Entry);
}

/** What a client can rely on in the first frame: its type, data's keys and event, the error code; then the close. */
function shapeOf(list: readonly Entry[]) {
  const first = list.find((e) => e.dir === 'received');
  const frame = JSON.parse(first?.frame ?? 'null') as Record<string, unknown> | null;
  const data = (frame?.data ?? {}) as Record<string, unknown>;
  const close = list.find((e) => e.dir === 'closed');
  return {
    type: frame?.type,
    dataKeys: Object.keys(data)
      .filter((k) => k !== 'timestamp')
      .sort(),
    event: data.event,
    errorCode: frame?.error_code ?? data.error_code,
    close: close ? { code: close.code, reason: close.frame } : undefined,
  };
}

describe('connect-time recordings against the double', { concurrency: 2 }, () => {
  for (const { fixture, fault, code, hop } of PAIRS) {
    it(`${fault} sends what ${fixture} recorded; ${code === 'PASS' ? 'the socket opens, the agent runs' : `the run gives ${code}`}`, async () => {
      const recorded = shapeOf(await entries(fileURLToPath(new URL(`fixtures/${fixture}.jsonl`, import.meta.url))));
      const transcript = join(dir, `${fault}.jsonl`);
      const out = await runCli(['demo', '--fault', fault, ...FAST, '--transcript', transcript]);
      assert.ok(out.report, `no report: ${out.stderr}`);
      assert.deepEqual(
        shapeOf(await entries(transcript)),
        recorded,
        `the double's ${fault} frame is not the recorded one`,
      );
      const { verdict, hops } = out.report;
      if (code === 'PASS') {
        // What the welcome decides: the socket opens and the agent runs on it (later hops are not this test's).
        const status = (name: string) => hops.find((h) => h.name === name)?.status;
        assert.deepEqual([status('ws.connect'), status('agent.run')], ['pass', 'pass'], JSON.stringify(verdict));
        return;
      }
      assert.equal(verdict.code, code, `${verdict.code} at ${verdict.hop}: ${verdict.summary}`);
      assert.equal(verdict.hop, hop);
    });
  }
});
