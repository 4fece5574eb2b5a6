import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { loadRunConfig } from '../../src/config/load-run-config.ts';

const base = { PROBE_API_URL: 'https://api.example', PROBE_AUTH_URL: 'https://auth.example', PROBE_E2E_BYPASS_KEY: 'bk-123456' };
const flags = (o: Record<string, string | boolean> = {}) => new Map(Object.entries(o));

describe('loadRunConfig', () => {
  it('applies the design defaults', () => {
    const { config, problems } = loadRunConfig(flags(), base);
    assert.deepEqual(problems, []);
    assert.equal(config!.login, 'e2e');
    assert.equal(config!.wsUrl, 'wss://api.example/ws');
    assert.equal(config!.serviceId, 'netra-backend');
    assert.equal(config!.serviceSecret, undefined);
    assert.equal(config!.timeoutMs, 60000);
    assert.equal(config!.agentTimeoutMs, 30000);
    assert.equal(config!.agentDegradedMs, 15000);
    assert.equal(config!.wsAuth, 'header');
  });
  it('lets flags win over the environment', () => {
    const { config } = loadRunConfig(flags({ 'api-url': 'http://127.0.0.1:9', 'agent-timeout-ms': '500', 'agent-degraded-ms': '100' }), { ...base, PROBE_AGENT_TIMEOUT_MS: '20000' });
    assert.equal(config!.apiUrl, 'http://127.0.0.1:9');
    assert.equal(config!.wsUrl, 'ws://127.0.0.1:9/ws');
    assert.equal(config!.agentTimeoutMs, 500);
  });
  it('defaults to password login without a bypass key, and needs its credentials', () => {
    const { config, problems } = loadRunConfig(flags(), { PROBE_API_URL: base.PROBE_API_URL, PROBE_AUTH_URL: base.PROBE_AUTH_URL });
    assert.equal(config, undefined);
    assert.deepEqual(problems, ['PROBE_USER_EMAIL: required for --login password', 'PROBE_USER_PASSWORD: required for --login password']);
  });
  it('reports every problem at once, each naming its flag or variable', () => {
    const { problems } = loadRunConfig(flags({ 'ws-url': 'http://x', login: 'saml', 'timeout-ms': 'soon', 'trace-url-template': 'https://t/' }), { PROBE_AGENT_TIMEOUT_MS: '-5' });
    assert.deepEqual(problems, [
      '--api-url / PROBE_API_URL: required (the backend base URL)',
      '--auth-url / PROBE_AUTH_URL: required (the auth service base URL)',
      "--ws-url: 'http://x' must use ws or wss (ws:// for an http backend, wss:// for https)",
      "--login: 'saml' is not one of e2e, password, browser",
      'PROBE_USER_EMAIL: required for --login password',
      'PROBE_USER_PASSWORD: required for --login password',
      "--timeout-ms: 'soon' is not a whole number of milliseconds",
      "PROBE_AGENT_TIMEOUT_MS: '-5' is not a whole number of milliseconds",
      '--trace-url-template: must contain {traceId}',
    ]);
  });
  it('refuses secrets on the command line', () => {
    const { problems } = loadRunConfig(flags({ 'bypass-key': 'x' }), base);
    assert.deepEqual(problems, ['--bypass-key: secrets are read from the environment only']);
  });
  it('keeps secrets out of JSON and inspect output', () => {
    const { config } = loadRunConfig(flags(), { ...base, PROBE_SERVICE_SECRET: 'super-secret-value' });
    assert.equal(config!.serviceSecret!.reveal(), 'super-secret-value');
    assert.doesNotMatch(JSON.stringify(config), /super-secret-value|bk-123456/);
    assert.doesNotMatch(inspect(config, { depth: 5 }), /super-secret-value|bk-123456/);
    assert.doesNotMatch(`${config!.serviceSecret}`, /super-secret-value/);
  });
  it('checks the deadlines nest', () => {
    const { problems } = loadRunConfig(flags({ 'agent-degraded-ms': '40000' }), base);
    assert.deepEqual(problems, ['--agent-degraded-ms (40000) must be below --agent-timeout-ms (30000)']);
  });
});
