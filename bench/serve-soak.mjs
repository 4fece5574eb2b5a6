// A serve soak: `golden-probe serve` (bench/serve-soak-worker.mjs: the real CLI plus a stats answer over IPC)
// against the staging double (bench/double-server.mjs, its own process), driven by POST /run in a loop,
// one run at a time. At each checkpoint it prints the serve process's heap after a full GC, its RSS (the
// median and the largest of a sample every 50 runs since the previous checkpoint: RSS moves with V8's and
// malloc's own timing, one sample says little), its CPU per run over the runs since the previous checkpoint,
// and the CPU cost of one scrub of a 300-character line (outside a run, and inside a run's scope holding two
// tokens).
//
//   npx node bench/serve-soak.mjs [--runs 10000] [--probe golden-path|auth-only] [--max-minutes 60]
//
// Checkpoints: 1000, 5000 and the last run (plus every 1000 for progress). --max-minutes bounds the wall
// time: the soak stops early (and says so) rather than run on a machine that is slower than expected.
// The double's request log is drained every 500 runs, so the double does not grow either.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10000' },
    probe: { type: 'string', default: 'golden-path' },
    'max-minutes': { type: 'string', default: '60' },
  },
});
const RUNS = Number(values.runs);
const DEADLINE = performance.now() + Number(values['max-minutes']) * 60_000;
const here = (f) => fileURLToPath(new URL(f, import.meta.url));

const double = fork(here('./double-server.mjs'), [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
const [first] = await once(createInterface({ input: double.stdout }), 'line');
const target = JSON.parse(first);
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PROBE_|OTEL_|PORT$)/.test(k))),
  PROBE_API_URL: target.apiUrl,
  PROBE_AUTH_URL: target.authUrl,
  PROBE_WS_URL: target.wsUrl,
  PROBE_E2E_BYPASS_KEY: target.credentials.bypassKey,
  PROBE_USER_EMAIL: target.credentials.userEmail,
  PROBE_SERVICE_SECRET: target.credentials.serviceSecret,
};
const serve = fork(
  here('./serve-soak-worker.mjs'),
  ['--port', '0', '--host', '127.0.0.1', '--allow-unauthenticated', '--min-run-interval', '0', '--probe', values.probe],
  {
    env,
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  },
);
// The serve process's log lines (about ten per run) are read and dropped, as a log shipper would.
let url;
const lines = createInterface({ input: serve.stdout });
await new Promise((resolve) => {
  lines.on('line', (line) => {
    if (url) return;
    const parsed = JSON.parse(line);
    if (parsed.event === 'listening') {
      url = parsed.url;
      resolve();
    }
  });
});

const ask = (child, msg) =>
  new Promise((resolve) => {
    child.once('message', resolve);
    child.send(msg);
  });
const mib = (b) => (b / 1048576).toFixed(1);
const rows = [];
let last = { runs: 0, cpuMicros: (await ask(serve, { stats: true })).cpuMicros, at: performance.now() };
const results = { pass: 0, other: 0 };
let rssSamples = [];
const checkpoints = new Set([1000, 5000, RUNS]);
let done = 0;
for (; done < RUNS && performance.now() < DEADLINE; ) {
  const res = await fetch(`${url}/run`, { method: 'POST' });
  const result = res.headers.get('x-probe-result');
  await res.arrayBuffer();
  results[result === 'pass' ? 'pass' : 'other']++;
  done++;
  if (done % 500 === 0) await ask(double, { take: true });
  if (done % 50 === 0) rssSamples.push((await ask(serve, { rss: true })).rss);
  if (done % 1000 === 0 || checkpoints.has(done)) {
    const s = await ask(serve, { stats: true });
    const now = performance.now();
    const row = {
      runs: done,
      heapMiB: mib(s.heapUsed),
      rssMiB: mib(rssSamples.sort((x, y) => x - y)[rssSamples.length >> 1]),
      rssMaxMiB: mib(rssSamples.at(-1)),
      cpuMsPerRun: ((s.cpuMicros - last.cpuMicros) / 1000 / (done - last.runs)).toFixed(2),
      wallMsPerRun: ((now - last.at) / (done - last.runs)).toFixed(1),
      scrubUsOutsideRun: s.scrubOutsideUs.toFixed(3),
      scrubUsInRun: s.scrubInRunUs.toFixed(3),
      passed: results.pass,
      notPassed: results.other,
    };
    rows.push(row);
    process.stdout.write(`${JSON.stringify(row)}\n`);
    last = { runs: done, cpuMicros: (await ask(serve, { stats: true })).cpuMicros, at: performance.now() };
    rssSamples = [];
  }
}
serve.kill('SIGTERM');
double.kill('SIGTERM');

const shown = rows.filter((r) => checkpoints.has(r.runs));
const early = done < RUNS ? ` (stopped at --max-minutes ${values['max-minutes']})` : '';
process.stdout.write(`\nserve soak, probe ${values.probe}: ${done} runs via POST /run${early}\n`);
const head = [
  'runs',
  'heap after GC MiB',
  'RSS MiB (median, max)',
  'CPU ms/run',
  'wall ms/run',
  'scrub µs (outside a run)',
  'scrub µs (in a run)',
];
process.stdout.write(`| ${head.join(' | ')} |\n`);
process.stdout.write('|---:|---:|---:|---:|---:|---:|---:|\n');
for (const r of shown) {
  const cells = [
    r.runs,
    r.heapMiB,
    `${r.rssMiB}, ${r.rssMaxMiB}`,
    r.cpuMsPerRun,
    r.wallMsPerRun,
    r.scrubUsOutsideRun,
    r.scrubUsInRun,
  ];
  process.stdout.write(`| ${cells.join(' | ')} |\n`);
}
const [a, b] = [shown[0], shown[shown.length - 1]];
if (a && b && a !== b) {
  const change = (k) => `${(((Number(b[k]) - Number(a[k])) / Number(a[k])) * 100).toFixed(1)}%`;
  const changes = [
    `heap ${change('heapMiB')}`,
    `RSS ${change('rssMiB')}`,
    `CPU/run ${change('cpuMsPerRun')}`,
    `scrub ${change('scrubUsOutsideRun')} / ${change('scrubUsInRun')}`,
  ];
  process.stdout.write(`${a.runs} → ${b.runs}: ${changes.join(', ')}; passed ${results.pass} of ${done}\n`);
}
process.exit(0);
