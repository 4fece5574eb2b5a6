import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Secret } from '../../src/config/secret.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { logSink } from '../support/log-sink.ts';

const sink = logSink;

describe('createLogger', () => {
  it('redacts secrets wherever they hide, including a JWT inside a message', () => {
    const out = sink();
    const log = createLogger({ level: 'info', destination: out.stream as never });
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEyMyJ9.c2lnbmF0dXJlLXZhbHVl';
    log.info(
      {
        headers: { authorization: `Bearer ${jwt}`, 'X-E2E-Bypass-Key': 'bypass-key-value' },
        password: 'hunter2-password',
        token: 'plain-token-value',
        config: { serviceSecret: new Secret('service-secret-value'), bypassKey: 'bypass-key-value-2' },
      },
      `login answered with ${jwt}`,
    );
    const raw = out.raw();
    for (const secret of [
      jwt,
      'bypass-key-value',
      'hunter2-password',
      'plain-token-value',
      'service-secret-value',
      'bypass-key-value-2',
    ]) {
      assert.ok(!raw.includes(secret), `leaked: ${secret}`);
    }
    const [line] = out.lines;
    assert.equal(line!.message, 'login answered with [REDACTED]');
    assert.equal(line!.password, '[REDACTED]');
  });

  it("writes Cloud Logging's severity and message keys", () => {
    const out = sink();
    const log = createLogger({ level: 'info', destination: out.stream as never });
    log.warn({ hop: 'agent.run' }, 'slow');
    log.debug('not at info');
    assert.deepEqual(
      out.lines.map((l) => [l.severity, l.level, l.message, l.hop]),
      [['WARNING', 'warn', 'slow', 'agent.run']],
    );
  });
});
