// Every verdict code is reachable: a double fault gives it through the CLI (test/support/fault-rows.ts, run by
// test/hops/), or a named test produces it where no fault can. The schema's enums are the domain's lists.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { HOP_NAMES } from '../../src/domain/hops.ts';
import { VERDICT_CODES, type VerdictCode } from '../../src/domain/verdict-codes.ts';
import { FAULT_ROWS, verdictHop } from '../support/fault-rows.ts';

/** Codes no double fault gives, and the test that produces each one. */
const PROVEN_ELSEWHERE: Partial<Record<VerdictCode, string>> = {
  // Triage could not reach the auth service: the double's auth service cannot be both up and down.
  WS_AUTH_FAILED: 'test/unit/decide-verdict.test.ts',
  REST_REJECTED: 'test/unit/decide-verdict.test.ts',
  // A signal mid-run, not a fault of staging.
  RUN_ABORTED: 'test/tracing/flush.test.ts',
  // Findings the double's Google fakes are laid out for by the test (startDouble({ google })).
  CONFIG_SECRET_DIFFERS: 'test/cli/preflight.test.ts',
  CONFIG_JWT_SECRETS_SPLIT: 'test/cli/preflight.test.ts',
  CONFIG_SECRET_VERSION_UNUSABLE: 'test/cli/preflight.test.ts',
  CONFIG_AUTH_URL_MISMATCH: 'test/cli/preflight.test.ts',
  CONFIG_ENVIRONMENT_MISMATCH: 'test/cli/preflight.test.ts',
  CONFIG_SECRET_VALUES_DIFFER: 'test/cli/preflight.test.ts',
};

const codes = Object.keys(VERDICT_CODES) as VerdictCode[];
const repoFile = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('verdict codes', () => {
  it('every code is given by a double fault through the CLI, or by the test named for it', () => {
    const byFault = new Set(FAULT_ROWS.map((row) => row.code));
    const unproven = codes.filter((code) => !byFault.has(code) && PROVEN_ELSEWHERE[code] === undefined);
    assert.deepEqual(unproven, []);
    for (const [code, file] of Object.entries(PROVEN_ELSEWHERE)) {
      assert.ok(!byFault.has(code as VerdictCode), `${code} is given by a fault now: drop it from PROVEN_ELSEWHERE`);
      assert.match(repoFile(file), new RegExp(`'${code}'`), `${file} produces ${code}`);
    }
  });

  it('a symptom code points at one of its hops in every fault row', () => {
    for (const row of FAULT_ROWS) {
      const { hops } = VERDICT_CODES[row.code];
      const hop = verdictHop(row);
      const isCause = row.code.startsWith('CONFIG_') || row.code === 'SYSTEM_USER_AUTH_FAILED';
      if (hops === null || hop === null || isCause) continue;
      assert.ok(
        (hops as readonly string[]).includes(hop),
        `${row.fault}: ${row.code} at ${hop}, not one of ${hops.join(', ')}`,
      );
    }
  });

  it('docs/verdicts.md and docs/report.schema.json list exactly these codes and hops', () => {
    const documented = new Set(
      repoFile('docs/verdicts.md')
        .match(/^\| `([A-Z_]+)` \|/gm)
        ?.map((l) => l.slice(3, -3)),
    );
    assert.deepEqual([...documented].sort(), [...codes].sort());
    const schema = JSON.parse(repoFile('docs/report.schema.json')) as { $defs: Record<string, { enum: string[] }> };
    assert.deepEqual(schema.$defs.verdictCode!.enum, codes);
    assert.deepEqual(schema.$defs.hopName!.enum, [...HOP_NAMES]);
  });
});
