import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { probe as golden } from '../../probes/golden-path.ts';
import { loadRunConfig } from '../../src/config/load-run-config.ts';
import type { ProbeDefinition } from '../../src/domain/probe-definition.ts';
import { definitionContradictions, hopLimits } from '../../src/runner/hop-limits.ts';

const base = {
  PROBE_API_URL: 'https://api.example',
  PROBE_AUTH_URL: 'https://auth.example',
  PROBE_E2E_BYPASS_KEY: 'bk-123456',
};
const flags = (o: Record<string, string | boolean> = {}) => new Map(Object.entries(o));

describe('loadRunConfig', () => {
  it('applies the documented defaults (docs/configuration.md)', () => {
    const { config, problems } = loadRunConfig(flags(), base);
    assert.deepEqual(problems, []);
    assert.equal(config!.login, 'e2e');
    assert.equal(config!.wsUrl, 'wss://api.example/ws');
    assert.equal(config!.serviceId, 'netra-backend');
    assert.equal(config!.serviceSecret, undefined);
    assert.equal(config!.timeoutMs, 180000);
    assert.equal(config!.agentTimeoutMs, 150000);
    assert.equal(config!.agentDegradedMs, 100000);
    assert.equal(config!.wsAuth, 'header');
  });
  it('lets flags win over the environment', () => {
    const { config } = loadRunConfig(
      flags({ 'api-url': 'http://127.0.0.1:9', 'agent-timeout-ms': '500', 'agent-degraded-ms': '100' }),
      { ...base, PROBE_AGENT_TIMEOUT_MS: '20000' },
    );
    assert.equal(config!.apiUrl, 'http://127.0.0.1:9');
    assert.equal(config!.wsUrl, 'ws://127.0.0.1:9/ws');
    assert.equal(config!.agentTimeoutMs, 500);
  });
  it('defaults to password login without a bypass key, and needs its credentials', () => {
    const { config, problems } = loadRunConfig(flags(), {
      PROBE_API_URL: base.PROBE_API_URL,
      PROBE_AUTH_URL: base.PROBE_AUTH_URL,
    });
    assert.equal(config, undefined);
    // The mode followed from the missing bypass key: the error names the variable that selects the other one.
    const other = ' (or set PROBE_E2E_BYPASS_KEY: it selects the e2e login, which needs neither)';
    assert.deepEqual(problems, [
      `PROBE_USER_EMAIL: required for --login password${other}`,
      `PROBE_USER_PASSWORD: required for --login password${other}`,
    ]);
  });
  it('reports every problem at once, each naming its flag or variable', () => {
    const { problems } = loadRunConfig(
      flags({ 'ws-url': 'http://x', login: 'saml', 'timeout-ms': 'soon', 'trace-url-template': 'https://t/' }),
      { PROBE_AGENT_TIMEOUT_MS: '-5' },
    );
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
  it('checks the deadlines nest when the values set contradict each other, naming where each came from', () => {
    const both = loadRunConfig(flags({ 'agent-degraded-ms': '40000', 'agent-timeout-ms': '30000' }), base);
    assert.deepEqual(both.problems, ['--agent-degraded-ms (40000) must be below --agent-timeout-ms (30000)']);
    const env = loadRunConfig(flags({ 'agent-timeout-ms': '9000' }), { ...base, PROBE_AGENT_DEGRADED_MS: '9000' });
    assert.deepEqual(env.problems, ['PROBE_AGENT_DEGRADED_MS (9000) must be below --agent-timeout-ms (9000)']);
    const skipping = loadRunConfig(flags({ 'agent-degraded-ms': '5000', 'timeout-ms': '4000' }), base);
    const problem = "--agent-degraded-ms (5000) must be below --timeout-ms (4000), the whole run's deadline";
    assert.deepEqual(skipping.problems, [problem]);
  });
});

// Issue 14, item 3: a default never trips a user who set only one side of a pair.
describe('defaults follow the deadlines that were set', () => {
  const deadlines = (o: Record<string, string>) => {
    const { config, problems } = loadRunConfig(flags(o), base);
    assert.deepEqual(problems, []);
    return [config!.agentDegradedMs, config!.agentTimeoutMs, config!.timeoutMs];
  };

  it('--agent-timeout-ms alone: the degraded threshold is half of it when 100000 would not fit', () => {
    assert.deepEqual(deadlines({ 'agent-timeout-ms': '4000' }), [2000, 4000, 180000]);
    assert.deepEqual(
      deadlines({ 'agent-timeout-ms': '120000' }),
      [100000, 120000, 180000],
      'a default that fits stays',
    );
  });

  it('--agent-timeout-ms past the run deadline alone: the run deadline is twice it', () => {
    assert.deepEqual(deadlines({ 'agent-timeout-ms': '200000' }), [100000, 200000, 400000]);
  });

  it('--timeout-ms alone: the agent deadline and its threshold follow it down', () => {
    assert.deepEqual(deadlines({ 'timeout-ms': '45000' }), [11250, 22500, 45000]);
    assert.deepEqual(deadlines({ 'timeout-ms': '20000' }), [5000, 10000, 20000]);
  });

  it('--agent-degraded-ms alone: the deadlines above it follow it up', () => {
    assert.deepEqual(deadlines({ 'agent-degraded-ms': '160000' }), [160000, 320000, 640000]);
  });

  it('between two values set, the unset one goes between them', () => {
    assert.deepEqual(deadlines({ 'agent-degraded-ms': '6000', 'timeout-ms': '10000' }), [6000, 7746, 10000]);
    assert.deepEqual(deadlines({ 'agent-degraded-ms': '1000', 'timeout-ms': '10000' }), [1000, 5000, 10000]);
  });

  it('from the environment as from flags', () => {
    const { config, problems } = loadRunConfig(flags(), { ...base, PROBE_AGENT_TIMEOUT_MS: '4000' });
    assert.deepEqual(problems, []);
    assert.equal(config!.agentDegradedMs, 2000);
  });
});

describe('hop limits in a probe definition follow the same rule', () => {
  const config = loadRunConfig(flags(), base).config!;
  const definition = (extra: Partial<ProbeDefinition>): ProbeDefinition => ({ ...golden, ...extra });

  it('a threshold without a budget gets a budget above it; a browser budget alone gets a threshold below it', () => {
    const slowLogin = definition({ degradedMs: { login: 20_000 }, hopTimeoutMs: {} });
    assert.deepEqual(hopLimits('login', config, slowLogin), { budgetMs: 40_000, degradedMs: 20_000 });
    const browser = { ...config, login: 'browser' as const };
    const shortBudget = definition({ browserLogin: { timeoutMs: 8_000 } });
    assert.deepEqual(hopLimits('login', browser, shortBudget), { budgetMs: 8_000, degradedMs: 4_000 });
    const unset = definition({ browserLogin: undefined });
    assert.deepEqual(hopLimits('login', browser, unset), { budgetMs: 45_000, degradedMs: 10_000 });
  });

  it('values a definition set that contradict each other are problems', () => {
    const equal = definition({ browserLogin: { timeoutMs: 5_000, degradedMs: 5_000 } });
    const problem = 'browserLogin.degradedMs (5000) must be below browserLogin.timeoutMs (5000)';
    assert.deepEqual(definitionContradictions(equal), [problem]);
    assert.deepEqual(definitionContradictions(golden), []);
  });
});
