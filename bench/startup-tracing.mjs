// Start-up cost of the telemetry bootstrap for a process started every minute (Cloud Scheduler / cron).
//
//   npx node bench/startup-tracing.mjs [--rounds N] [--compile-cache]
//
// --compile-cache runs every child with NODE_COMPILE_CACHE (a fresh temporary directory, filled by the
// warm-up round): Node then reuses compiled code and type-stripped TypeScript across processes, which is
// what a CLI that calls module.enableCompileCache() would get from its second run on.
//
// Each sample is a fresh child Node that imports what the probe imports anyway (ws, jose, pino, and
// one TypeScript module of the library code with its @opentelemetry/api: the CLI runs TypeScript through
// Node's type stripping, whose one-off ~60 ms / ~20 MB would otherwise be charged to whichever variant
// imports the first .ts file), then one variant of the bootstrap,
// makes a root span with a child and a traceparent, shuts down and exits. Wall time is spawn -> exit as the
// parent sees it; peak RSS is the child's own maxRSS at exit. Variants run in a rotating order each round
// (after one discarded warm-up round) and the medians are compared with (a).
//
//   a        baseline: those imports only; spans go to the API's no-op tracer
//   b0       startTelemetry with OTEL_SDK_DISABLED=true: the bootstrap's own modules load, nothing is
//            registered (so b - b0 is what registering costs)
//   b        startTelemetry with nothing exported (what this project registers: AsyncLocalStorage context,
//            @opentelemetry/core's W3C propagators and the API-only id-only tracer provider)
//   b-sdk    for comparison, the alternative not taken for (b): the SDK's TracerProvider without a processor,
//            @opentelemetry/core's W3C propagator, AsyncLocalStorage context
//   c        startTelemetry exporting traces over OTLP http/protobuf to a local receiver (NodeSDK, handed the
//            probe's resource, sampler, processor and wrapped exporter)
//   c+m      the same with only OTEL_EXPORTER_OTLP_ENDPOINT set: traces and metrics exported
//   d        a bare new NodeSDK({}) with its defaults (all detectors, exporters from OTEL_*), exporting to the same
//            receiver: NodeSDK's own cost, beside what the probe's configuration of it adds
//
// Output: one JSON line per variant, then a table.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, round1, round2, startOtlpSink } from './support.mjs';

const SELF = fileURLToPath(import.meta.url);
const SDK_INDEX = pathToFileURL(fileURLToPath(new URL('../src/telemetry/sdk/index.ts', import.meta.url))).href;
// A module of the probe's library code (TypeScript, API only): every variant loads it, as the CLI loads
// the whole probe, so the one-off cost of Node's type stripping is in the baseline, not in a variant.
const LIBRARY_MODULE = pathToFileURL(fileURLToPath(new URL('../src/telemetry/metrics.ts', import.meta.url))).href;

if (process.argv[2] === '--child') {
  await child(process.argv[3]);
} else {
  await main();
}

async function child(variant) {
  await Promise.all([import('ws'), import('jose'), import('pino'), import(LIBRARY_MODULE)]);
  const api = await import('@opentelemetry/api');
  let shutdown = async () => undefined;

  if (variant === 'b0' || variant === 'b' || variant === 'c' || variant === 'c+m') {
    const { checkOtelEnv, startTelemetry } = await import(SDK_INDEX);
    const { plan, warnings } = checkOtelEnv(process.env);
    if (warnings.length > 0) throw new Error(warnings.join('; '));
    const telemetry = await startTelemetry(plan, { onWarning: (m) => process.stderr.write(`${m}\n`) });
    shutdown = () => telemetry.shutdown();
  } else if (variant === 'b-sdk') {
    const [{ AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, { TracerProvider }] = await Promise.all([
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/core'),
      import('@opentelemetry/sdk-trace'),
    ]);
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const provider = new TracerProvider();
    api.trace.setGlobalTracerProvider(provider);
    shutdown = () => provider.shutdown();
  } else if (variant === 'd') {
    const { NodeSDK } = await import('@opentelemetry/sdk-node');
    const sdk = new NodeSDK({});
    sdk.start();
    shutdown = () => sdk.shutdown();
  }

  const tracer = api.trace.getTracer('bench');
  const carrier = {};
  await tracer.startActiveSpan('golden_path', async (root) => {
    await new Promise((resolve) => setImmediate(resolve));
    const span = tracer.startSpan('POST', { kind: api.SpanKind.CLIENT });
    api.propagation.inject(api.trace.setSpan(api.context.active(), span), carrier);
    span.end();
    root.end();
  });
  await shutdown();
  process.stdout.write(
    `${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, traceparent: carrier.traceparent ?? null })}\n`,
  );
}

async function main() {
  const roundsArg = process.argv.indexOf('--rounds');
  const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 15;
  const cacheDir = process.argv.includes('--compile-cache')
    ? mkdtempSync(join(tmpdir(), 'gpp-bench-cache-'))
    : undefined;
  const cacheEnv = cacheDir ? { NODE_COMPILE_CACHE: cacheDir } : {};

  const sink = await startOtlpSink();
  const endpoint = sink.url;

  let nodeSdk = true;
  try {
    await import('@opentelemetry/sdk-node');
  } catch {
    nodeSdk = false;
  }
  const variants = [
    { id: 'a', label: 'baseline (ws, jose, pino, a .ts module + api)', env: {} },
    { id: 'b0', label: 'startTelemetry, OTEL_SDK_DISABLED=true', env: { OTEL_SDK_DISABLED: 'true' } },
    { id: 'b', label: 'startTelemetry, nothing exported', env: {} },
    { id: 'b-sdk', label: 'SDK provider without processor (not used)', env: {} },
    {
      id: 'c',
      label: 'startTelemetry, traces OTLP http/protobuf',
      env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${endpoint}/v1/traces` },
    },
    { id: 'c+m', label: 'startTelemetry, traces + metrics OTLP', env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } },
    ...(nodeSdk
      ? [{ id: 'd', label: 'bare new NodeSDK({}) (for comparison)', env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint } }]
      : []),
  ];

  const samples = new Map(variants.map((v) => [v.id, []]));
  for (let round = 0; round <= rounds; round++) {
    const order = variants.map((_, i) => variants[(i + round) % variants.length]);
    for (const v of order) {
      const sample = await runChild(v, cacheEnv);
      if (round > 0) samples.get(v.id).push(sample); // round 0 warms the disk cache
    }
  }
  sink.server.close();
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });

  const base = summarize(samples.get('a'));
  const rows = variants.map((v) => {
    const s = summarize(samples.get(v.id));
    return {
      variant: v.id,
      label: v.label,
      rounds,
      compileCache: cacheDir !== undefined,
      wallMsMedian: round1(s.wall),
      wallMsP90: round1(s.wallP90),
      maxRssMbMedian: round1(s.rss),
      wallVsA: round2(s.wall / base.wall),
      rssVsA: round2(s.rss / base.rss),
      addedWallMs: round1(s.wall - base.wall),
      addedRssMb: round1(s.rss - base.rss),
      traceparent: s.traceparent,
    };
  });
  for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
  if (!nodeSdk)
    process.stdout.write(
      `${JSON.stringify({ note: 'variant d skipped: @opentelemetry/sdk-node is not installed' })}\n`,
    );

  const header = ['variant', 'wall ms (median)', 'p90', 'x (a)', '+ms', 'peak RSS MB', 'x (a)', '+MB', 'traceparent'];
  const table = rows.map((r) => [
    `${r.variant.padEnd(6)}${r.label}`,
    r.wallMsMedian.toFixed(1),
    r.wallMsP90.toFixed(1),
    r.wallVsA.toFixed(2),
    r.addedWallMs.toFixed(1),
    r.maxRssMbMedian.toFixed(1),
    r.rssVsA.toFixed(2),
    r.addedRssMb.toFixed(1),
    r.traceparent ? 'yes' : 'no',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  process.stdout.write(
    `\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${table.map(line).join('\n')}\n`,
  );
  process.stdout.write(
    `\n${rounds} rounds after a warm-up, rotating order; Node ${process.version}; compile cache ${cacheDir ? 'on' : 'off'}; ${sink.count()} OTLP export requests received.\n`,
  );
}

function runChild(variant, extraEnv) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const proc = spawn(process.execPath, [SELF, '--child', variant.id], {
      env: { PATH: process.env.PATH, ...extraEnv, ...variant.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (c) => (out += c));
    proc.stderr.on('data', (c) => (err += c));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) return reject(new Error(`variant ${variant.id} exited ${code}: ${err}`));
      const result = JSON.parse(out.trim().split('\n').at(-1));
      resolve({ wall, rss: result.maxRssKb / 1024, traceparent: result.traceparent });
    });
  });
}

function summarize(list) {
  const walls = list.map((x) => x.wall).sort((a, b) => a - b);
  return {
    wall: median(walls),
    wallP90: walls[Math.min(walls.length - 1, Math.floor(walls.length * 0.9))],
    rss: median(list.map((x) => x.rss)),
    traceparent: list.every((x) => x.traceparent),
  };
}
