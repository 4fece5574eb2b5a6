// Issue 22 item 4: a mistyped flag, command, fault or probe name is answered with the nearest known name,
// not "unknown" alone and not the whole list.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nearest, typoDistance } from '../../src/text/nearest.ts';
import { runCli } from '../support/run-cli.ts';

describe('nearest', () => {
  it('counts a swap of neighbours as one edit', () => {
    assert.equal(typoDistance('api-ulr', 'api-url'), 1);
    assert.equal(nearest('api-ulr', ['api-url', 'auth-url', 'ws-url']), 'api-url');
  });
  it('names nothing when two are as near, or none is near', () => {
    assert.equal(nearest('ab-url', ['api-url', 'ws-url', 'abc']), undefined);
    assert.equal(nearest('zzzz', ['run', 'demo']), undefined);
  });
  it('completes a name cut short when only one begins so', () => {
    assert.equal(nearest('frontend', ['frontend-url', 'api-url']), 'frontend-url');
  });
});

describe('did you mean, through the CLI', { concurrency: 4 }, () => {
  it('--api-ulr → --api-url', async () => {
    const out = await runCli(['run', '--api-ulr', 'http://127.0.0.1:1']);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /--api-ulr: unknown flag; did you mean --api-url\? \(see --help\)/);
    assert.doesNotMatch(out.stderr, /127\.0\.0\.1:1/, 'the value of an unknown flag is not echoed');
  });
  it('--fault service_secret_mismach → service_secret_mismatch, not the whole list', async () => {
    const out = await runCli(['demo', '--fault', 'service_secret_mismach']);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /is not a fault of the double; did you mean service_secret_mismatch\?/);
    assert.doesNotMatch(out.stderr, /agent_stall/);
  });
  it('a fault nothing is near still lists them all', async () => {
    const out = await runCli(['demo', '--fault', 'zzz']);
    assert.match(out.stderr, /one of healthy, .*agent_stall/);
  });
  it('a command: rnu → run', async () => {
    const out = await runCli(['rnu']);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /unknown command 'rnu'; did you mean 'run'\?/);
  });
  it('a probe name: auth-onyl → auth-only', async () => {
    const out = await runCli(['demo', '--probe', 'auth-onyl']);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /no probe definition at .*auth-onyl\.ts .*; did you mean auth-only\?/);
  });
});
