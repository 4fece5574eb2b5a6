// Runs scheduling/gcloud.sh (or a seeded copy) against a stand-in `gcloud` that records each call's arguments
// and a copy of every file it is handed; `describe` and `list` find nothing, so the script takes its create
// paths. STUB_FAIL_POLICY_CREATES=N makes the first N `policies create` answer like the 404 metric race;
// STUB_SERVICE_JSON is what `run services describe` prints (else it fails like a missing service).
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const STUB = `#!/usr/bin/env bash
n=$(find "$STUB_LOG" -name '*.args' | wc -l)
id=$(printf %03d "$n")
printf '%s\\n' "$@" > "$STUB_LOG/$id.args"
prev=""; k=0
for a in "$@"; do
  case "$prev" in
    --config-from-file|--policy-from-file|--env-vars-file) cp "$a" "$STUB_LOG/$id.$k.file"; k=$((k + 1));;
  esac
  prev="$a"
done
if [ -n "\${STUB_SERVICE_JSON:-}" ] && [[ " $* " == *" services describe "* ]]; then echo "$STUB_SERVICE_JSON"; exit 0; fi
for a in "$@"; do [ "$a" = describe ] && exit 1; done
if [ "\${STUB_FAIL_POLICY_CREATES:-0}" -gt 0 ] && [[ " $* " == *" policies create "* ]]; then
  failed=$(cat "$STUB_LOG/failed" 2>/dev/null || echo 0)
  if [ "$failed" -lt "$STUB_FAIL_POLICY_CREATES" ]; then
    echo $((failed + 1)) > "$STUB_LOG/failed"
    echo 'ERROR: (gcloud.alpha.monitoring.policies.create) NOT_FOUND: Cannot find metric(s) that match type' >&2
    exit 1
  fi
fi
exit 0
`;

export interface Call {
  args: string[];
  files: string[];
}

export interface ScriptRun {
  exitCode: number | null;
  stderr: string;
  calls: Call[];
}

export const SCRIPT_ENV: Record<string, string> = {
  PROJECT_ID: 'example-project',
  IMAGE: `us-central1-docker.pkg.dev/example-project/probes/golden-path-probe@sha256:${'a'.repeat(64)}`,
  API_URL: 'https://api.example.test',
  AUTH_URL: 'https://auth.example.test',
  EXTRA_ENV: 'PROBE_USER_EMAIL=golden-probe@example.test',
  NOTIFICATION_CHANNELS:
    'projects/example-project/notificationChannels/123,projects/example-project/notificationChannels/456',
  RUNBOOK_URL: 'https://runbooks.example.test/golden-path-probe',
};

export async function runGcloudScript(schedulingDir: string, env: Record<string, string> = {}): Promise<ScriptRun> {
  const dir = await mkdtemp(join(tmpdir(), 'golden-probe-gcloud-'));
  try {
    const bin = join(dir, 'bin');
    const log = join(dir, 'log');
    await Promise.all([mkdir(bin), mkdir(log)]);
    await writeFile(join(bin, 'gcloud'), STUB);
    // retry() waits 30 s between tries: not here.
    await writeFile(join(bin, 'sleep'), '#!/bin/sh\nexit 0\n');
    await Promise.all([chmod(join(bin, 'gcloud'), 0o755), chmod(join(bin, 'sleep'), 0o755)]);
    const result = spawnSync('bash', [join(schedulingDir, 'gcloud.sh')], {
      env: { PATH: [bin, process.env.PATH ?? ''].join(delimiter), STUB_LOG: log, ...SCRIPT_ENV, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const calls: Call[] = [];
    const names = await readdir(log);
    for (const name of names.filter((f) => f.endsWith('.args')).sort()) {
      const id = name.replace('.args', '');
      const args = (await readFile(join(log, name), 'utf8')).split('\n').slice(0, -1);
      const fileNames = names.filter((f) => f.startsWith(`${id}.`) && f.endsWith('.file')).sort();
      calls.push({ args, files: await Promise.all(fileNames.map((f) => readFile(join(log, f), 'utf8'))) });
    }
    return { exitCode: result.status, stderr: result.stderr, calls };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface FlagList {
  global: string[];
  commands: Record<string, string[]>;
}

/** Each call's flags checked against the kept list of the real ones: "command: --flag" for each unknown one. */
export function unknownFlags(calls: Call[], list: FlagList): string[] {
  const problems: string[] = [];
  for (const { args } of calls) {
    const words = args.filter((a) => !a.startsWith('--'));
    const command = Object.keys(list.commands)
      .filter((c) => c.split(' ').every((w, i) => words.slice(words.indexOf(c.split(' ')[0] as string))[i] === w))
      .sort((a, b) => b.length - a.length)[0];
    if (!command) {
      problems.push(`no such command in the list: ${args.join(' ')}`);
      continue;
    }
    const known = new Set([...list.global, ...(list.commands[command] ?? [])]);
    for (const arg of args) {
      if (!arg.startsWith('--')) continue;
      const name = arg.split('=')[0] as string;
      if (!known.has(name)) problems.push(`${command}: ${name}`);
    }
  }
  return problems;
}
