// Every verdict code is reachable: a double fault gives it through the CLI (test/support/fault-rows.ts, run by
// test/hops/), or a named test produces it where no fault can. The schema's enums are the domain's lists.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { HOP_NAMES, type HopName } from '../../src/domain/hops.ts';
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

/** (code, hop) pairs no fault gives, and the test that produces each (it names both). */
const PAIRS_PROVEN_ELSEWHERE: Readonly<Record<string, string>> = {
  'LOGIN_UNAVAILABLE at service.auth': 'test/chaos/login-hostile.test.ts',
};

/**
 * Hops that give a code by one shared rule: proving the code at one of them proves it at the others.
 * - the REST hops map a failed call with one function (src/hops/rest-failure.ts);
 * - triage refines any backend symptom the same way (refineWithTriage, src/triage/decide-verdict.ts, proven
 *   code by code in test/unit/decide-verdict.test.ts), on every hop where the backend checks the token.
 */
const SHARED_RULES: readonly { hops: readonly HopName[]; codes: readonly VerdictCode[] | 'all'; rule: string }[] = [
  {
    hops: ['thread.create', 'chat.messages.list', 'chat.messages.create'],
    codes: 'all',
    rule: 'src/hops/rest-failure.ts',
  },
  {
    hops: ['service.auth', 'ws.connect', 'thread.create', 'chat.messages.list', 'chat.messages.create'],
    codes: [
      'SERVICE_SECRET_MISMATCH',
      'SERVICE_ID_INVALID',
      'SERVICE_AUTH_NOT_CONFIGURED',
      'TOKEN_REJECTED_BY_AUTH',
      'BACKEND_REJECTS_VALID_TOKEN',
    ],
    rule: 'test/unit/decide-verdict.test.ts',
  },
];

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

  it('every (code, hop) pair the domain declares is given by a fault, a named test, or a rule it shares', () => {
    const byFault = new Set(FAULT_ROWS.map((row) => `${row.code} at ${verdictHop(row)}`));
    const unproven: string[] = [];
    for (const code of codes) {
      const hops = VERDICT_CODES[code].hops;
      if (hops === null || PROVEN_ELSEWHERE[code] !== undefined) continue;
      for (const hop of hops as readonly HopName[]) {
        if (byFault.has(`${code} at ${hop}`)) continue;
        // A cause (hop config's findings, a log marker) is found where it is declared, whatever symptom it explains.
        const isCause = code.startsWith('CONFIG_') || code === 'SYSTEM_USER_AUTH_FAILED';
        if (isCause && FAULT_ROWS.some((row) => row.code === code)) continue;
        const file = PAIRS_PROVEN_ELSEWHERE[`${code} at ${hop}`];
        if (file) {
          assert.match(
            repoFile(file),
            new RegExp(`'${hop.replaceAll('.', '\\.')}', '${code}'`),
            `${file}: ${code} at ${hop}`,
          );
          continue;
        }
        const shared = SHARED_RULES.some(
          (r) =>
            r.hops.includes(hop) &&
            (r.codes === 'all' || r.codes.includes(code)) &&
            r.hops.some((other) => byFault.has(`${code} at ${other}`)),
        );
        if (!shared) unproven.push(`${code} at ${hop}`);
      }
    }
    assert.deepEqual(unproven, [], 'declare the pair in a fault row, or drop the hop from the code');
  });

  it('docs/hops.md lists the hops of src/domain/hops.ts, in order, each with its row of "each hop\'s whole story"', () => {
    const doc = repoFile('docs/hops.md');
    const numbered = [...doc.matchAll(/^\| \d+ \| `([a-z.]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(numbered, [...HOP_NAMES]);
    const story = doc.slice(doc.indexOf("## Each hop's whole story"));
    const storied = [...story.matchAll(/^\| `([a-z.]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(storied, [...HOP_NAMES]);
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
