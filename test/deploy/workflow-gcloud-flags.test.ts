// The smoke workflow's own gcloud calls (read from its `run:` scripts, not run): every flag must be one the gcloud
// reference lists for that command (test/deploy/schemas/gcloud-flags.json, each command's page named there).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { readRepoFile } from './deploy-files.ts';
import { type Call, unknownFlags } from './gcloud-run.ts';

const FLAGS = JSON.parse(readFileSync(new URL('./schemas/gcloud-flags.json', import.meta.url), 'utf8')) as Parameters<
  typeof unknownFlags
>[1];

/** Each literal `gcloud …` or `gc …` (the workflow's retrying wrapper) call: its command words and its flags. */
function workflowGcloudCalls(workflowText: string): Call[] {
  const workflow = parse(workflowText) as { jobs: Record<string, { steps?: { run?: string }[] }> };
  const calls: Call[] = [];
  for (const job of Object.values(workflow.jobs)) {
    for (const step of job.steps ?? []) {
      const script = (step.run ?? '').replace(/\\\n\s*/g, ' ');
      for (const match of script.matchAll(/(?:^|[\s($])(?:gc|gcloud) ([a-z][a-z-]*(?: [a-z][a-z-]*)*)([^\n)]*)/g)) {
        const words = (match[1] as string).split(' ');
        const flags = (match[2] as string).split(/\s+/).filter((t) => t.startsWith('--'));
        calls.push({ args: [...words, ...flags.map((f) => f.replace(/["']/g, ''))], files: [] });
      }
    }
  }
  return calls;
}

describe('the smoke workflow calls gcloud with flags gcloud has', () => {
  const text = readRepoFile('scheduling', 'github-actions/post-deploy-smoke.yml');

  it('finds its gcloud calls, and every flag is on the command reference page', () => {
    const calls = workflowGcloudCalls(text);
    const commands = new Set(calls.map((c) => c.args.filter((a) => !a.startsWith('--')).join(' ')));
    for (const expected of ['run services describe', 'run revisions describe', 'run jobs describe'])
      assert.ok(commands.has(expected), `${expected} in ${[...commands].join('; ')}`);
    assert.deepEqual(unknownFlags(calls, FLAGS), []);
  });

  for (const [from, to] of [
    ['--region "$REGION" --format=json', '--regoin "$REGION" --format=json'],
    ["--format='value(image_summary.digest)'", "--formatt='value(image_summary.digest)'"],
  ] as const) {
    it(`fails on the workflow with ${from} misspelt ${to}`, () => {
      assert.ok(text.includes(from), `the workflow has ${from}`);
      const problems = unknownFlags(workflowGcloudCalls(text.replace(from, to)), FLAGS);
      assert.ok(
        problems.some((p) => p.endsWith(to.split(/[ =]/)[0] as string)),
        problems.join('; '),
      );
    });
  }
});
