import { Writable } from 'node:stream';
import type { FlagSpec } from '../config/flag-values.ts';
import { RUN_FLAGS } from '../config/run-flags.ts';
import { loadServeOptions, SERVE_FLAGS } from '../serve/serve-options.ts';
import { ListenError, startServe } from '../serve/start-serve.ts';
import { help, parseOrThrow, version } from './cli-support.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { renderFlags } from './help.ts';
import type { ProcessLifecycle } from './process-lifecycle.ts';
import { countsAsFailure, prepareRun } from './run-command.ts';
import { checkTelemetryEnv, startCliTelemetry } from './telemetry.ts';

// A server is read by its JSON log lines, never by a person at its terminal: there is no other layout to choose.
const REFUSED = {
  'log-format':
    'serve always writes JSON log lines on stdout (--log-format is for run and demo; PROBE_LOG_FORMAT is ignored here)',
};
const FLAGS: readonly FlagSpec[] = [
  ...RUN_FLAGS.filter((f) => f.name !== 'help' && !(f.name in REFUSED)),
  ...SERVE_FLAGS,
  ...RUN_FLAGS.filter((f) => f.name === 'help'),
];

const HELP = `golden-probe serve [run flags] [--host H] [--port N] [--every DURATION]
                   (--oidc-audience AUD --oidc-allow EMAIL[,EMAIL] | --allow-unauthenticated)

Long-running mode: runs the probe on a fixed interval (--every) and on demand (POST /run, answered with
the JSON report; a POST during a run waits for that run and gets its report), never two runs at once.
GET /metrics is Prometheus text exposition (probe_success, probe_runs_total, probe_hop_duration_seconds,
probe_agent_time_to_event_seconds, probe_flaky_runs_total, probe_consecutive_failures, probe_alerting,
probe_last_run_timestamp_seconds, probe_last_verdict_info, and prom-client's process metrics); GET /healthz
answers while the process is up.
Closed unless told otherwise: with --oidc-audience and --oidc-allow, POST /run needs a Google-signed OIDC ID
token (RS256) for that audience from a listed email; anything else gets 401. Without them serve refuses to
start unless --allow-unauthenticated (then it warns at every start). Listens on 127.0.0.1 unless --host;
POST /run within --min-run-interval of the last run's start gets 429 with Retry-After. SIGTERM/SIGINT: no new runs, the current one is aborted (it still reports), exit 0.
--json/--junit/--html are rewritten after every run; --fail-on-degraded makes a degraded run count as a
failed one for probe_consecutive_failures and probe_alerting (probe_success stays 1 for degraded).

${renderFlags(FLAGS)}
`;

/** `golden-probe serve`: scheduled and HTTP-triggered runs, /metrics, /healthz. */
export async function serveCommand(life: ProcessLifecycle, argv: readonly string[]): Promise<number> {
  const { values, problems } = parseOrThrow(argv, FLAGS, { refused: REFUSED });
  if (values.get('help')) return help(HELP);
  const options = loadServeOptions(values, process.env, problems);
  const otel = checkTelemetryEnv(process.env);
  // The human summary is for one-shot runs; a server's runs are told by its JSON log lines.
  const discard = new Writable({ write: (_chunk, _enc, done) => done() });
  // Throws with every problem, ours (serve flags, OTEL_*) included.
  const prepared = await prepareRun({
    flags: values,
    env: process.env,
    summaryTo: discard,
    defaultLogLevel: 'info',
    stop: life.stop,
    problems,
  });

  life.attachTelemetry(await startCliTelemetry(otel, version()));
  const { log, config, targetNames: targets } = prepared;
  if (targets.length === 0)
    log.warn(
      { shard: config.shard },
      `serve: shard ${config.shard.index}/${config.shard.count} has no target of this probe; runs will do nothing`,
    );
  let running: Awaited<ReturnType<typeof startServe>>;
  try {
    running = await startServe({
      options,
      log,
      targets,
      stop: life.stop,
      runOnce: async () => {
        const { reports } = await prepared.run();
        return reports.map((report) => ({ report, failed: countsAsFailure(report, config.failOnDegraded) }));
      },
    });
  } catch (err) {
    if (err instanceof ListenError) throw new UsageError([`--port / --host: ${err.message}`]);
    throw err;
  }
  await running.done;
  return EXIT.ok;
}
