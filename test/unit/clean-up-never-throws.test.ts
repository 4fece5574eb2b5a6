// Clean-up is a note, never the run's end: a DELETE the probe cannot even send (here an id encodeURIComponent
// refuses, which threw URIError before usableId kept such ids out) comes back as a note, not a rejection.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inSecretScope, Secret } from '../../src/config/secret.ts';
import type { RunConfig } from '../../src/config/types.ts';
import type { RunState } from '../../src/hops/hop-contract.ts';
import { CookieJar } from '../../src/net/cookie-jar.ts';
import { HttpClient } from '../../src/net/http-client.ts';
import { cleanUp } from '../../src/runner/clean-up.ts';

describe('cleanUp', () => {
  it('turns a DELETE it cannot send into a note', async () => {
    const apiUrl = 'http://127.0.0.1:9';
    await inSecretScope(async () => {
      const state = {
        threadId: 'thread_\ud800',
        threadSource: 'created',
        cookies: new CookieJar(apiUrl),
        created: { thread: 'thread_\ud800' },
        accessToken: new Secret('a-test-token-that-is-long-enough'),
      } as unknown as RunState;
      const notes = await cleanUp({ apiUrl } as RunConfig, state, new HttpClient(), AbortSignal.timeout(5_000));
      assert.equal(notes.length, 1);
      assert.equal(notes[0]!.deleted, false);
      assert.equal(notes[0]!.detail, 'DELETE not sent (URIError)');
    });
  });
});
