import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HOP_NAMES } from '../../src/domain/hops.ts';
import { runCli } from '../support/run-cli.ts';

async function junitFor(fault: string): Promise<{ code: number | null; xml: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'golden-probe-junit-'));
  try {
    const out = await runCli(['demo', '--no-gcp', '--fault', fault, '--junit', join(dir, 'junit.xml')]);
    return { code: out.code, xml: await readFile(join(dir, 'junit.xml'), 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const testcases = (xml: string) => [...xml.matchAll(/<testcase classname="([^"]+)" name="([^"]+)"/g)].map((m) => m[2]);

describe('--junit', () => {
  it('writes one suite per run and one case per hop, the verdict and evidence in the failure', async () => {
    const { code, xml } = await junitFor('rest_403');
    assert.equal(code, 1);
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    assert.equal((xml.match(/<testsuite /g) ?? []).length, 1);
    assert.deepEqual(
      testcases(xml),
      HOP_NAMES.filter((hop) => hop !== 'config'),
    );
    assert.match(xml, /<testsuite name="golden-path" tests="8" failures="2" errors="0" skipped="0"/);
    const failure =
      /<testcase classname="golden-path" name="chat.messages.list"[^>]*>\s*<failure message="([^"]*)" type="([^"]*)">([^<]*)<\/failure>/.exec(
        xml,
      );
    assert.ok(failure, xml);
    assert.match(failure[1]!, /^BACKEND_REJECTS_VALID_TOKEN: The backend rejected at chat.messages.list/);
    assert.equal(failure[2], 'BACKEND_REJECTS_VALID_TOKEN');
    assert.match(failure[3]!, /answered HTTP 403: &quot;Not authenticated&quot;/);
    assert.match(failure[3]!, /triage: \/auth\/validate without service headers: valid/);
  });

  it('marks skipped hops as skipped and a passing run has no failure', async () => {
    const failing = await junitFor('ws_upgrade_403');
    assert.match(
      failing.xml,
      /<testcase classname="golden-path" name="agent.run" time="0.000">\s*<skipped message="ws.connect produced no open socket"\/>/,
    );
    const passing = await junitFor('healthy');
    assert.equal(passing.code, 0);
    assert.doesNotMatch(passing.xml, /<failure/);
    assert.match(passing.xml, /<property name="verdict" value="PASS"\/>/);
  });
});
