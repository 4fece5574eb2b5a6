// Where does `--users N` stop working on this machine: in the probe, or in the staging double that shares
// the machine's cores with it? Three set-ups of the same N users, each measured with GNU time (the probe's
// CPU and peak RSS) and /proc (the double's CPU while the probe ran):
//
//   demo      `golden-probe demo --users N`: probe and double in ONE process, one event loop between them
//   separate  `golden-probe run --users N` against bench/double-server.mjs: two processes, two cores
//   probe-only CPU, for comparison: the probe's own share when the double is in its own process
//
//   npx node bench/users-limit.mjs [--users 1000] [--rounds 2]
//
// Prints one JSON line per run and a table: users failed, p95 per hop, wall, CPU and the longest event-loop
// block of each process (bench/loop-delay-preload.mjs).
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { users: { type: 'string', default: '1000' }, rounds: { type: 'string', default: '2' } },
});
const USERS = Number(values.users);
const ROUNDS = Number(values.rounds);
const BIN = fileURLToPath(new URL('../bin/golden-probe.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'gpp-users-'));
const PRELOAD = fileURLToPath(new URL('./loop-delay-preload.mjs', import.meta.url));
const TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU in 1/100 s

const cpuOf = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime + stime
};

async function startDouble() {
  const script = fileURLToPath(new URL('./double-server.mjs', import.meta.url));
  const child = fork(script, [], { execArgv: ['--import', PRELOAD], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const [line] = await once(createInterface({ input: child.stdout }), 'line');
  return { child, target: JSON.parse(line) };
}

async function timed(args, env) {
  const rusage = join(tmp, 'rusage');
  const report = join(tmp, 'report.json');
  rmSync(report, { force: true });
  const t0 = performance.now();
  const probe = [process.execPath, BIN, ...args, '--json', report, '--log-level', 'silent'];
  const loopFile = join(tmp, 'probe-loop');
  const preloaded = { ...env, NODE_OPTIONS: `--import ${PRELOAD}`, LOOP_DELAY_FILE: loopFile };
  const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', rusage, ...probe], { env: preloaded, stdio: 'ignore' });
  const [code] = await once(child, 'close');
  const wall = performance.now() - t0;
  const [rssKb, user, sys] = readFileSync(rusage, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const p95 = (hop) => r.users?.perHop.find((h) => h.hop === hop)?.p95Ms ?? null;
  return {
    code,
    wallS: wall / 1000,
    probeCpuS: user + sys,
    rssMiB: rssKb / 1024,
    probeLoop: JSON.parse(readFileSync(loopFile, 'utf8')),
    failed: r.users ? r.users.failed / r.users.count : Number(r.result === 'fail'),
    verdicts: r.users?.verdicts,
    loginP95: p95('login'),
    wsP95: p95('ws.connect'),
    agentP95: p95('agent.run'),
  };
}

/** Sends {[key]: true} and waits for the answer that carries `key` (the double answers take with requests). */
function ask(child, key) {
  const answerKey = key === 'take' ? 'requests' : key;
  return new Promise((resolve) => {
    const onMessage = (msg) => {
      if (!(answerKey in msg)) return;
      child.off('message', onMessage);
      resolve(msg);
    };
    child.on('message', onMessage);
    child.send({ [key]: true });
  });
}

const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PROBE_|OTEL_)/.test(k)));
const rows = [];
const { child: double, target } = await startDouble();
try {
  for (let round = 0; round < ROUNDS; round++) {
    const demo = await timed(['demo', '--users', String(USERS)], cleanEnv);
    rows.push({ setup: 'demo (one process)', ...demo, doubleCpuS: null });
    process.stdout.write(`${JSON.stringify(rows.at(-1))}\n`);

    const env = {
      ...cleanEnv,
      PROBE_API_URL: target.apiUrl,
      PROBE_AUTH_URL: target.authUrl,
      PROBE_WS_URL: target.wsUrl,
      PROBE_E2E_BYPASS_KEY: target.credentials.bypassKey,
      PROBE_SERVICE_SECRET: target.credentials.serviceSecret,
    };
    const before = cpuOf(double.pid);
    await ask(double, 'loopDelay');
    const separate = await timed(['run', '--users', String(USERS)], env);
    const doubleCpuS = cpuOf(double.pid) - before;
    const doubleLoop = (await ask(double, 'loopDelay')).loopDelay;
    rows.push({ setup: 'run, double in its own process', ...separate, doubleCpuS, doubleLoop });
    process.stdout.write(`${JSON.stringify(rows.at(-1))}\n`);
    await ask(double, 'take');
  }
} finally {
  double.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}

const f1 = (x) => (x === null || x === undefined ? '—' : Number(x).toFixed(1));
const machine = `${cpus().length} × ${cpus()[0].model}; load average ${loadavg()[0].toFixed(2)}`;
process.stdout.write(`\n--users ${USERS}, ${ROUNDS} rounds; ${machine}\n`);
const head = [
  'set-up',
  'users failed',
  'login p95 ms',
  'ws.connect p95 ms',
  'agent.run p95 ms',
  'wall s',
  'probe CPU s',
];
head.push('double CPU s', 'loop delay max ms: probe / double', 'probe peak RSS MiB', 'verdicts');
process.stdout.write(`| ${head.join(' | ')} |\n|---|${'---:|'.repeat(head.length - 2)}---|\n`);
for (const r of rows) {
  const v = Object.entries(r.verdicts ?? {})
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
  const cells = [r.setup, `${(r.failed * 100).toFixed(1)}%`, r.loginP95 ?? '—', r.wsP95 ?? '—', r.agentP95 ?? '—'];
  const loops = `${r.probeLoop.max} / ${r.doubleLoop?.max ?? '(same process)'}`;
  cells.push(f1(r.wallS), f1(r.probeCpuS), f1(r.doubleCpuS), loops, f1(r.rssMiB), v);
  process.stdout.write(`| ${cells.join(' | ')} |\n`);
}
