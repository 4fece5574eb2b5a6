// The probe against its floor, in one run: what `npm run bench` prints.
//
//   npx node bench/run.mjs [--rounds N] [--scale-rounds N] [--users 1,10,100,500] [--probe-root DIR]
//
// --probe-root measures the probe of another checkout (say a git worktree holding a proposed change,
// with its own node_modules) against the same floor and double.
//
// Everything runs against the staging double (healthy) on 127.0.0.1, in its own child process
// (bench/double-server.mjs), so each measured process's wall time, peak RSS and CPU are its own.
// Every measured process is a fresh `node` started under GNU time (`/usr/bin/time -f '%M %U %S'`: peak
// RSS and user+system CPU of that process, the same method for the probe and the floor); wall time is
// spawn -> exit as this process sees it.
//
// Sections:
//   floor     full-run wall time and peak RSS of `golden-probe run` (tracing off; OTLP http/protobuf
//             export to a local sink; and, for information, with Node's compile cache disabled, as in a
//             fresh container) against bench/floor.mjs (global fetch + ws, nothing else), as ratios.
//             The variants alternate in a rotating order, one warm-up round is discarded, medians.
//   start-up  spawn -> the first request recorded by the double, from the same runs; and where each process's
//             time went on its own clock (bench/phases-preload.mjs, preloaded into every measured process):
//             process start -> its last module loaded before the first request -> first request -> last
//             request -> exit, and spawn -> exit as this process sees it.
//   per-hop   the probe's hop durations (its --json report) and the floor's against the double's own
//             server-side time for the same requests.
//   scale     `golden-probe run --users N`: success, p95 per hop, CPU seconds, peak RSS, RSS per
//             additional user (over N = 1), medians of --scale-rounds runs per N.
//
// bench/startup-tracing.mjs (separate) breaks down the telemetry bootstrap's share of start-up.
//
// Output: one JSON line per figure, then readable tables with PASS/MISS against the issue's targets.
// The probe runs with `--log-level silent --json PATH`; its compile cache (bin/golden-probe.js enables
// it) lives in a fresh temporary directory that the warm-up round fills.
import { execFileSync, fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOP_NAMES } from '../src/domain/hops.ts';
import { median, round1, round2, startOtlpSink } from './support.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TIME = '/usr/bin/time';
// The golden path's hops, without hop config (the bench runs without a GCP project).
const HOPS = HOP_NAMES.filter((hop) => hop !== 'config');
const TARGETS = { wallOff: 1.3, rssOff: 1.3, wallOtlp: 1.6, rssOtlp: 1.6, startup: 1.3, rssPerUserMiB: 1 };

const options = parseOptions(process.argv.slice(2));
if (Number(process.versions.node.split('.')[0]) < 24) {
  fail(`needs Node 24 (this is ${process.version}): run it as \`npm run bench\` or \`npx node bench/run.mjs\``);
}
if (!existsSync(TIME)) fail(`needs GNU time at ${TIME} for peak RSS and CPU of each child (apt-get install time)`);

const tmp = mkdtempSync(join(tmpdir(), 'gpp-bench-'));
const sink = await startOtlpSink();
const double = await startDoubleChild();
const lines = [];
const emit = (row) => {
  lines.push(row);
  process.stdout.write(`${JSON.stringify(row)}\n`);
};

try {
  const started = performance.now();
  const load = () => loadavg()[0].toFixed(2);
  const machine = `Node ${process.version}; ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'})`;
  emit({
    section: 'meta',
    command: ['npx node bench/run.mjs', ...process.argv.slice(2)].join(' '),
    probeRoot: options.probeRoot,
    probeCommit: gitDescribe(options.probeRoot),
    node: process.version,
    cpus: cpus().length,
    loadAvg1mAtStart: Number(load()),
  });
  const loadAtStart = load();
  const single = await singleRuns(options.rounds);
  const scale = await scaleRuns(options.users, options.scaleRounds);
  const tables = [
    floorTable(single),
    startupTable(single),
    phasesTable(single),
    perHopTable(single),
    scaleTable(scale),
  ];
  const misses = lines.flatMap((l) => l.checks ?? []).filter((c) => c.verdict === 'MISS').length;
  process.stdout.write(`\n${tables.join('\n\n')}\n\n`);
  process.stdout.write(
    `${options.rounds} rounds after a warm-up (scale: ${options.scaleRounds} per N), alternating, medians; ${machine}; ` +
      `load average ${loadAtStart} at start, ${load()} at end; ${sink.count()} OTLP export requests received; ` +
      `${((performance.now() - started) / 1000).toFixed(0)} s; ${misses} target(s) missed.\n`,
  );
  if (Math.max(Number(loadAtStart), Number(load())) > cpus().length) {
    process.stdout.write(
      'note: the load average was above the CPU count: other processes competed for the CPUs; ratios hold better ' +
        'than absolute times.\n',
    );
  }
} catch (err) {
  process.stderr.write(`\nbench: ${err.message}\n`);
  process.exitCode = 1;
} finally {
  double.stop();
  sink.server.close();
  rmSync(tmp, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------
// Sections

function baseEnv() {
  return {
    PATH: process.env.PATH,
    PROBE_API_URL: double.apiUrl,
    PROBE_AUTH_URL: double.authUrl,
    PROBE_WS_URL: double.wsUrl,
    PROBE_E2E_BYPASS_KEY: double.credentials.bypassKey,
    PROBE_SERVICE_SECRET: double.credentials.serviceSecret,
    PROBE_USER_EMAIL: double.credentials.userEmail,
  };
}

function probeArgs(extra = []) {
  return [
    join(options.probeRoot, 'bin/golden-probe.js'),
    'run',
    '--log-level',
    'silent',
    '--json',
    join(tmp, 'report.json'),
    ...extra,
  ];
}

async function singleRuns(rounds) {
  const cache = { NODE_COMPILE_CACHE: join(tmp, 'compile-cache') };
  const variants = [
    {
      id: 'floor',
      label: 'bench/floor.mjs (fetch + ws)',
      args: [join(ROOT, 'bench/floor.mjs')],
      env: { FLOOR_TIMINGS: '1' },
    },
    {
      id: 'probe',
      label: 'golden-probe run, tracing off',
      args: probeArgs(),
      env: cache,
      wall: TARGETS.wallOff,
      rss: TARGETS.rssOff,
      startup: TARGETS.startup,
    },
    {
      id: 'probe+otlp',
      label: 'golden-probe run, OTLP export on',
      args: probeArgs(),
      env: { ...cache, OTEL_EXPORTER_OTLP_ENDPOINT: sink.url },
      wall: TARGETS.wallOtlp,
      rss: TARGETS.rssOtlp,
    },
    {
      id: 'probe-cold',
      label: 'golden-probe run, tracing off, no compile cache',
      args: probeArgs(),
      env: { NODE_DISABLE_COMPILE_CACHE: '1' },
    },
  ];
  const samples = new Map(variants.map((v) => [v.id, []]));
  for (let round = 0; round <= rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(i + round) % variants.length];
      const sample = await measure(
        ['--import', join(ROOT, 'bench/phases-preload.mjs'), ...v.args],
        { ...baseEnv(), ...v.env, PHASES_FILE: join(tmp, 'phases.json') },
        v.id,
      );
      sample.phases = JSON.parse(readFileSync(join(tmp, 'phases.json'), 'utf8'));
      if (v.id === 'floor') sample.hops = JSON.parse(sample.stdout.trim().split('\n').at(-1)).hops;
      else sample.hops = Object.fromEntries(readReport().hops.map((h) => [h.name, h.durationMs]));
      sample.serverHops = serverTimeByHop(sample.requests);
      if (round > 0) samples.get(v.id).push(sample);
    }
    progress(`single runs: round ${round}/${rounds}`);
  }
  return { variants, samples };
}

async function scaleRuns(userCounts, rounds) {
  const samples = new Map(userCounts.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < userCounts.length; i++) {
      const n = userCounts[(i + round) % userCounts.length];
      const sample = await measure(
        probeArgs(['--users', String(n)]),
        { ...baseEnv(), NODE_COMPILE_CACHE: join(tmp, 'compile-cache') },
        `--users ${n}`,
        [0, 1],
      ); // 1: some user failed, which the success rate shows
      const report = readReport();
      sample.users = report.users ?? {
        count: 1,
        passed: report.result === 'pass' ? 1 : 0,
        perHop: report.hops.map((h) => ({ hop: h.name, p95Ms: h.status === 'skip' ? null : h.durationMs })),
      };
      samples.get(n).push(sample);
    }
    progress(`scale: round ${round + 1}/${rounds}`);
  }
  return samples;
}

// ---------------------------------------------------------------------------------------------------
// Tables (each also emits its JSON lines)

function floorTable({ variants, samples }) {
  const floor = summary(samples.get('floor'));
  const rows = variants.map((v) => {
    const s = summary(samples.get(v.id));
    const wallRatio = round2(s.wall / floor.wall);
    const rssRatio = round2(s.rss / floor.rss);
    const checks = v.wall ? [check('wall / floor', wallRatio, v.wall), check('peak RSS / floor', rssRatio, v.rss)] : [];
    // What the wall time is made of: start-up (spawn -> first request) and the rest.
    const afterFirst = median(samples.get(v.id).map((x) => x.wall - x.firstRequestMs));
    emit({
      section: 'floor',
      variant: v.id,
      label: v.label,
      rounds: samples.get(v.id).length,
      wallMs: round1(s.wall),
      afterFirstRequestMs: round1(afterFirst),
      peakRssMiB: round1(s.rss),
      cpuS: round2(s.cpu),
      wallRatio,
      rssRatio,
      checks,
    });
    return [
      v.label,
      s.wall.toFixed(0),
      `${wallRatio.toFixed(2)}×`,
      mark(checks[0]),
      afterFirst.toFixed(0),
      s.rss.toFixed(1),
      `${rssRatio.toFixed(2)}×`,
      mark(checks[1]),
      s.cpu.toFixed(2),
    ];
  });
  return table(
    'Full run vs floor (medians)',
    ['variant', 'wall ms', '× floor', 'target', 'after 1st request', 'peak RSS MiB', '× floor', 'target', 'CPU s'],
    rows,
  );
}

function startupTable({ variants, samples }) {
  const floor = median(samples.get('floor').map((s) => s.firstRequestMs));
  const rows = variants.map((v) => {
    const ms = median(samples.get(v.id).map((s) => s.firstRequestMs));
    const ratio = round2(ms / floor);
    const checks = v.startup ? [check('first request / floor', ratio, v.startup)] : [];
    emit({ section: 'startup', variant: v.id, label: v.label, firstRequestMs: round1(ms), ratio, checks });
    return [v.label, ms.toFixed(0), `${ratio.toFixed(2)}×`, mark(checks[0])];
  });
  return table(
    'Start-up: spawn -> first request at the double (medians)',
    ['variant', 'ms', '× floor', 'target'],
    rows,
  );
}

function phasesTable({ variants, samples }) {
  const rows = variants.map((v) => {
    const list = samples.get(v.id);
    const at = (pick) => medianOf(list, (s) => pick(s.phases));
    const row = {
      section: 'phases',
      variant: v.id,
      label: v.label,
      importsMs: round1(at((p) => p.imports)),
      modules: at((p) => p.modules),
      firstRequestMs: round1(at((p) => p.firstRequest)),
      lastRequestMs: round1(at((p) => p.lastRequest)),
      exitMs: round1(at((p) => p.exit)),
      spawnToExitMs: round1(medianOf(list, (s) => s.wall)),
    };
    emit(row);
    return [
      v.label,
      cell(row.importsMs, 0),
      String(row.modules),
      cell(row.firstRequestMs, 0),
      cell(row.firstRequestMs - row.importsMs, 0),
      cell(row.lastRequestMs, 0),
      cell(row.exitMs, 0),
      cell(row.exitMs - row.lastRequestMs, 0),
      cell(row.spawnToExitMs, 0),
    ];
  });
  return table(
    "Where start-up goes, on each process's own clock (ms since it started, medians): imports = its last module " +
      'loaded before the first request',
    [
      'variant',
      'imports',
      'modules',
      '1st request',
      '  − imports',
      'last request',
      'exit',
      '  − last request',
      'spawn→exit',
    ],
    rows,
  );
}

function perHopTable({ samples }) {
  const probe = samples.get('probe');
  const floor = samples.get('floor');
  const rows = HOPS.map((hop) => {
    const server = medianOf(probe, (s) => s.serverHops[hop]);
    const p = medianOf(probe, (s) => s.hops[hop]);
    const f = medianOf(floor, (s) => s.hops[hop]);
    const row = {
      section: 'per-hop',
      hop,
      serverMs: round2(server),
      probeMs: round1(p),
      floorMs: round1(f),
      probeOverServerMs: round1(minus(p, server)),
      floorOverServerMs: round1(minus(f, server)),
    };
    emit(row);
    return [hop, cell(server, 2), cell(p, 0), cell(minus(p, server)), cell(f), cell(minus(f, server))];
  });
  const totalOf = (list) => median(list.map((s) => Object.values(s.hops).reduce((a, b) => a + b, 0)));
  return table(
    "Per hop: client-side vs the double's server-side time (ms, medians; the probe reports whole ms; agent.run " +
      'server = its scripted gaps)',
    ['hop', 'server', 'probe', 'probe − server', 'floor', 'floor − server'],
    [...rows, ['sum of hops', '', totalOf(probe).toFixed(0), '', totalOf(floor).toFixed(1), '']],
  );
}

function scaleTable(samples) {
  const counts = [...samples.keys()];
  const base = summary(samples.get(counts[0]));
  const rows = counts.map((n) => {
    const list = samples.get(n);
    const s = summary(list);
    const users = list.reduce((a, x) => a + x.users.count, 0);
    const passed = list.reduce((a, x) => a + x.users.passed, 0);
    const p95 = Object.fromEntries(
      HOPS.map((hop) => [hop, medianOf(list, (x) => x.users.perHop.find((h) => h.hop === hop)?.p95Ms)]),
    );
    const perUser = n > counts[0] ? (s.rss - base.rss) / (n - counts[0]) : null;
    const successRate = round2((passed / users) * 100);
    const checks =
      n === 500
        ? [
            check('success %', successRate, 100, 'min'),
            check('MiB per additional user', round2(perUser), TARGETS.rssPerUserMiB),
          ]
        : [];
    emit({
      section: 'scale',
      users: n,
      runs: list.length,
      successRate,
      wallMs: round1(s.wall),
      cpuS: round2(s.cpu),
      cpuMsPerUser: round2((s.cpu * 1000) / n),
      peakRssMiB: round1(s.rss),
      rssPerAdditionalUserMiB: perUser === null ? null : round2(perUser),
      p95Ms: p95,
      checks,
    });
    return [
      String(n),
      `${successRate}%${checks[0] ? ` ${checks[0].verdict}` : ''}`,
      ...HOPS.filter((h) => h !== 'token').map((h) => (p95[h] === null ? '—' : p95[h].toFixed(0))),
      s.wall.toFixed(0),
      s.cpu.toFixed(2),
      s.rss.toFixed(1),
      perUser === null ? '—' : `${perUser.toFixed(2)}${checks[1] ? ` ${checks[1].verdict}` : ''}`,
    ];
  });
  return table(
    `Scale: golden-probe run --users N (p95 ms per hop; medians of ${options.scaleRounds} runs; targets at N = ` +
      `500: 100% and ≤ ${TARGETS.rssPerUserMiB} MiB per additional user)`,
    [
      'users',
      'success',
      'login',
      'svc.auth',
      'ws.conn',
      'agent',
      'list',
      'create',
      'wall ms',
      'CPU s',
      'peak RSS MiB',
      'MiB/+user',
    ],
    rows,
  );
}

// ---------------------------------------------------------------------------------------------------
// Measuring one child

/**
 * Runs `node ...args` under GNU time; resolves with wall ms, peak RSS MiB, CPU s, and what the double saw.
 * Any other exit code than `allowed` ends the bench: its figures would describe a broken run.
 */
async function measure(args, env, what, allowed = [0]) {
  await takeRequests(); // whatever came before is not this run's
  rmSync(join(tmp, 'report.json'), { force: true });
  const rusageFile = join(tmp, 'rusage');
  const spawnedAt = performance.timeOrigin + performance.now();
  const t0 = performance.now();
  const child = spawn(TIME, ['-f', '%M %U %S', '-o', rusageFile, process.execPath, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const [code] = await once(child, 'close');
  const wall = performance.now() - t0;
  if (!allowed.includes(code))
    throw new Error(
      `${what} exited ${code} (expected ${allowed.join(' or ')} against the healthy double):\n${stderr.slice(-2000)}`,
    );
  const [maxRssKb, user, sys] = readFileSync(rusageFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  const requests = await takeRequests();
  const firstRequestMs = Math.min(...requests.map((r) => r.startedAt)) - spawnedAt;
  return { wall, rss: maxRssKb / 1024, cpu: user + sys, firstRequestMs, requests, stdout };
}

function readReport() {
  return JSON.parse(readFileSync(join(tmp, 'report.json'), 'utf8'));
}

/**
 * Server-side milliseconds per hop for one single-user run, from the double's records in the order they
 * finished. The backend asks the auth service about the token of every request it gets: for REST that
 * call is inside the backend request's own time (not added again); for the socket it comes after the
 * 101, before connection_established, so it counts for ws.connect.
 */
function serverTimeByHop(requests) {
  const ms = {};
  const add = (hop, d) => (ms[hop] = (ms[hop] ?? 0) + d);
  let upgraded = false;
  let socketAuthPending = false;
  let posted = false;
  for (const r of requests) {
    if (r.service === 'auth' && r.path === '/auth/e2e/test-auth') add('login', r.durationMs);
    else if (r.service === 'auth' && r.path === '/auth/validate') {
      if (!upgraded) add('service.auth', r.durationMs);
      else if (socketAuthPending) {
        add('ws.connect', r.durationMs);
        socketAuthPending = false;
      }
    } else if (r.service === 'backend' && r.upgrade) {
      add('ws.connect', r.durationMs);
      upgraded = socketAuthPending = true;
    } else if (r.service === 'backend' && r.method === 'POST') {
      add('chat.messages.create', r.durationMs);
      posted = true;
    } else if (r.service === 'backend' && r.method === 'GET')
      add(posted ? 'chat.messages.create' : 'chat.messages.list', r.durationMs);
  }
  if (double.agentScriptMs !== null) ms['agent.run'] = double.agentScriptMs;
  return ms;
}

// ---------------------------------------------------------------------------------------------------
// The double and the OTLP sink

async function startDoubleChild() {
  const child = fork(join(ROOT, 'bench/double-server.mjs'), [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let buffered = '';
  for await (const chunk of child.stdout) {
    buffered += chunk;
    if (buffered.includes('\n')) break;
  }
  child.stdout.resume();
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) fail(`the double (bench/double-server.mjs) exited on its own (${signal ?? code})`);
  });
  const stop = () => {
    stopping = true;
    child.kill('SIGTERM');
  };
  return { child, stop, ...JSON.parse(buffered.split('\n')[0]) };
}

function takeRequests() {
  return new Promise((resolve) => {
    double.child.once('message', (m) => resolve(m.requests));
    double.child.send({ take: true });
  });
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

function parseOptions(argv) {
  const get = (name, fallback) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : fallback;
  };
  const opts = {
    rounds: Number(get('--rounds', '11')),
    scaleRounds: Number(get('--scale-rounds', '3')),
    users: get('--users', '1,10,100,500').split(',').map(Number),
    probeRoot: resolve(get('--probe-root', ROOT)),
  };
  const bad = [];
  if (!(Number.isInteger(opts.rounds) && opts.rounds >= 1 && opts.rounds <= 50)) bad.push('--rounds: an integer 1..50');
  if (!(Number.isInteger(opts.scaleRounds) && opts.scaleRounds >= 1 && opts.scaleRounds <= 10))
    bad.push('--scale-rounds: an integer 1..10');
  // Load stays bounded: at most 1000 users per process against 127.0.0.1.
  if (!opts.users.every((n) => Number.isInteger(n) && n >= 1 && n <= 1000) || opts.users[0] !== 1)
    bad.push('--users: a list starting at 1, each 1..1000');
  if (!existsSync(join(opts.probeRoot, 'bin/golden-probe.js')))
    bad.push(`--probe-root: no bin/golden-probe.js under ${opts.probeRoot}`);
  if (bad.length)
    fail(
      `usage: npx node bench/run.mjs [--rounds N] [--scale-rounds N] [--users 1,10,100,500] [--probe-root DIR]\n  ${bad.join('\n  ')}`,
    );
  return opts;
}

/** One target: `max` (the default) passes at or under the limit, `min` at or over it. */
function check(figure, value, limit, kind = 'max') {
  const ok = value !== null && (kind === 'max' ? value <= limit : value >= limit);
  return { figure, value, target: `${kind === 'max' ? '≤' : '≥'} ${limit}`, verdict: ok ? 'PASS' : 'MISS' };
}

function mark(c) {
  return c ? `${c.target}× ${c.verdict}` : '—';
}

function summary(list) {
  return {
    wall: median(list.map((s) => s.wall)),
    rss: median(list.map((s) => s.rss)),
    cpu: median(list.map((s) => s.cpu)),
  };
}

function medianOf(list, pick) {
  const xs = list.map(pick).filter((x) => typeof x === 'number');
  return xs.length ? median(xs) : null;
}

function minus(a, b) {
  return a === null || b === null ? null : a - b;
}

function cell(x, digits = 1) {
  return x === null ? '—' : x.toFixed(digits);
}

function table(title, header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [title, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The probe's commit, with `-dirty` when its working tree has changes (the figures are of that tree). */
function gitDescribe(dir) {
  try {
    return execFileSync('git', ['-C', dir, 'describe', '--always', '--dirty'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

/** Progress on stderr, on one line when it is a terminal. */
function progress(text) {
  process.stderr.write(process.stderr.isTTY ? `\r${text}\x1b[K` : `${text}\n`);
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}
