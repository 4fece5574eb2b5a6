// The collector sidecar's configuration: every pipeline names components the file defines, spans leave for the
// Telemetry API with Google credentials, and the ports agree with what the job tells the probe and probes.
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { type Misspelling, readRepoFile, seededCopy } from './deploy-files.ts';

type Config = Record<string, Record<string, unknown> | undefined> & {
  service?: { extensions?: string[]; pipelines?: Record<string, Record<string, string[]>> };
};

function configProblems(text: string): string[] {
  const config = parse(text) as Config;
  const problems: string[] = [];
  const defined = (section: string, name: string) => Object.hasOwn(config[section] ?? {}, name);
  for (const name of config.service?.extensions ?? [])
    if (!defined('extensions', name)) problems.push(`extension ${name} not defined`);
  for (const [pipeline, parts] of Object.entries(config.service?.pipelines ?? {})) {
    for (const section of ['receivers', 'processors', 'exporters']) {
      for (const name of parts[section] ?? [])
        if (!defined(section, name)) problems.push(`${pipeline}: ${section} ${name} not defined`);
    }
  }
  if (!config.service?.pipelines?.traces) problems.push('no traces pipeline');
  const exporter = config.exporters?.['otlphttp/telemetry'] as
    | { endpoint?: string; auth?: { authenticator?: string } }
    | undefined;
  if (exporter?.endpoint !== 'https://telemetry.googleapis.com')
    problems.push('spans do not go to telemetry.googleapis.com');
  const authenticator = exporter?.auth?.authenticator ?? '';
  if (!authenticator.startsWith('googleclientauth') || !config.service?.extensions?.includes(authenticator)) {
    problems.push('the exporter does not authenticate with an enabled googleclientauth');
  }
  return problems;
}

const MISSPELLINGS: Misspelling[] = [
  {
    file: 'otel-collector/config.yaml',
    from: 'extensions: [googleclientauth, health_check]',
    to: 'extensions: [googleclientauth, healthcheck]',
  },
  { file: 'otel-collector/config.yaml', from: 'processors: [memory_limiter,', to: 'processors: [memorylimiter,' },
  { file: 'otel-collector/config.yaml', from: 'authenticator: googleclientauth', to: 'authenticator: googleauth' },
];

describe('scheduling/otel-collector/config.yaml', () => {
  const text = readRepoFile('scheduling', 'otel-collector', 'config.yaml');

  it('wires defined components into a traces pipeline to the Telemetry API with Google credentials', () => {
    assert.deepEqual(configProblems(text), []);
  });

  it('listens where the job points the probe, and answers health checks where the job probes', () => {
    const config = parse(text) as {
      receivers: { otlp: { protocols: { http: { endpoint: string } } } };
      extensions: { health_check: { endpoint: string } };
    };
    assert.equal(config.receivers.otlp.protocols.http.endpoint, 'localhost:4318');
    assert.match(config.extensions.health_check.endpoint, /:13133$/);
    const job = readRepoFile('scheduling', 'terraform', 'job.tf');
    assert.match(job, /OTEL_EXPORTER_OTLP_ENDPOINT = "http:\/\/localhost:4318"/);
    assert.match(job, /port = 13133/);
    const script = readRepoFile('scheduling', 'gcloud.sh');
    assert.match(script, /OTEL_EXPORTER_OTLP_ENDPOINT=http:\/\/localhost:4318/);
    assert.match(script, /httpGet\.port=13133/);
  });

  for (const mistake of MISSPELLINGS) {
    it(`fails with ${mistake.from} changed to ${mistake.to}`, async () => {
      const dir = await seededCopy(mistake);
      try {
        assert.notDeepEqual(configProblems(await readFile(join(dir, mistake.file), 'utf8')), []);
      } finally {
        await rm(dirname(dir), { recursive: true, force: true });
      }
    });
  }
});
