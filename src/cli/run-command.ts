import type { Writable } from 'node:stream';
import type { SpanContext } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';
import { loadRunConfig, probeName } from '../config/load-run-config.ts';
import { RUN_FLAGS } from '../config/run-flags.ts';
import { inSecretScope, scrubDeep } from '../config/secret.ts';
import type { RunConfig } from '../config/types.ts';
import { renderHumanSummary, renderRunBody } from '../report/human-summary.ts';
import type { Report } from '../report/types.ts';
import { writeReportFile } from '../report/write-report-file.ts';
import { loadDefinition } from '../runner/load-definition.ts';
import { runUsers } from '../runner/run-users.ts';
import { runWithRetries } from '../runner/run-with-retries.ts';
import { pathForTarget, targetsForShard } from '../runner/shard-targets.ts';
import { createLogger } from '../telemetry/logger.ts';
import { recordRunMetrics } from '../telemetry/metrics.ts';
import { serviceNameFrom } from '../telemetry/service-name.ts';
import { help, parseOrThrow, version } from './cli-support.ts';
import { EXIT, exitForStop, UsageError } from './exit-codes.ts';
import { renderFlags } from './help.ts';
import type { ProcessLifecycle } from './process-lifecycle.ts';
import { checkTelemetryEnv, startCliTelemetry } from './telemetry.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface RunCommandInput {
  flags: ReadonlyMap<string, string | boolean>;
  env: Env;
  /** Where the human summary goes: stderr for `run` (stdout carries JSON logs), stdout for `demo` and a terminal. */
  summaryTo: Writable;
  /** A person watches `summaryTo` (a TTY): the table streams hop by hop, agent.run shows its wait. */
  live?: boolean;
  /** Where the JSON log lines go (default stdout). */
  logTo?: DestinationStream;
  defaultLogLevel: string;
  stop: AbortSignal;
  /** Problems already found (flags, OTEL_*), reported together with the run configuration's. */
  problems?: readonly string[];
}

export interface PreparedRun {
  config: RunConfig;
  log: Logger;
  /** This shard's targets by name (undefined: the one target given by the flags). */
  targetNames: ReadonlyArray<string | undefined>;
  /** Runs every target of this shard in turn; the exit code is the worst of them. */
  run(opts?: { traceExported?: boolean }): Promise<{ reports: Report[]; exitCode: number }>;
}

/** The exit-code rule (docs/verdicts.md): a failed run, or a degraded one with --fail-on-degraded. */
export function countsAsFailure(report: Report, failOnDegraded: boolean): boolean {
  return report.result === 'fail' || (report.result === 'degraded' && failOnDegraded);
}

/**
 * Validates everything up front (exit 2 lists every problem), then runs, writes the reports, and picks the exit code.
 */
export async function prepareRun(input: RunCommandInput): Promise<PreparedRun> {
  const loaded = await loadDefinition(probeName(input.flags, input.env));
  const targetsInDefinition = (loaded.definition?.targets?.length ?? 0) > 0;
  const loadedConfig = loadRunConfig(input.flags, input.env, { logLevel: input.defaultLogLevel, targetsInDefinition });
  const { config } = loadedConfig;
  const problems = [...(input.problems ?? []), ...loadedConfig.problems];
  if (loaded.problem) problems.push(loaded.problem);
  if (!config || !loaded.definition || problems.length > 0) throw new UsageError(problems);
  const definition = loaded.definition;
  const log: Logger = createLogger({
    level: config.logLevel,
    service: serviceNameFrom(input.env),
    gcpProject: traceProject(input.env, config.gcp?.project),
    ...(input.logTo ? { destination: input.logTo } : {}),
  });
  const targets = targetsForShard(definition, config);

  return {
    config,
    log,
    targetNames: targets.map((t) => t.name),
    async run(opts = {}) {
      if (targets.length === 0) {
        log.info(
          { shard: config.shard },
          `shard ${config.shard.index}/${config.shard.count} has no target of probe ${definition.name}`,
        );
        return { reports: [], exitCode: EXIT.ok };
      }
      const reports: Report[] = [];
      let exitCode: number = EXIT.ok;
      for (const target of targets) {
        if (input.stop.aborted) break;
        const tlog = target.name ? log.child({ target: target.name }) : log;
        // Each retry's root span links to the attempt before it: one search finds the whole flaky run.
        let previous: SpanContext | undefined;
        // Several users run at once: their hops interleave, so only one user's run can stream.
        // Imported only for a person at a terminal, like the report renderers below: a cron run does not load them.
        const live =
          input.live && target.config.users === 1
            ? new (await import('../report/live-table.ts')).LiveTable(input.summaryTo, {
                agentTimeoutMs: target.config.agentTimeoutMs,
              })
            : undefined;
        const run = (attempt: number) =>
          runUsers({
            config: target.config,
            definition,
            log: tlog,
            stop: input.stop,
            attempt,
            targetName: target.name,
            ...(previous ? { links: [{ context: previous, attributes: { 'probe.attempt': attempt - 1 } }] } : {}),
            onRootSpan: (span) => {
              previous = span;
            },
            ...(live ? { observer: live } : {}),
          });
        // The report's safety net, applied once, here: metrics, the report files, the summary and serve's
        // answers all derive from it. Evidence quotes servers, and a hostile one may echo the request.
        // One secret scope per target's run (attempts and users share it), forgotten once it is scrubbed.
        const report = await inSecretScope(async () => {
          try {
            return scrubDeep(await runWithRetries(run, { retries: config.retries, stop: input.stop }));
          } finally {
            live?.close();
          }
        });
        recordRunMetrics(report);
        await writeReports(report, config, target.name, targets.length > 1);
        input.summaryTo.write(
          live ? renderRunBody(report, { ...opts, tableShown: true }) : renderHumanSummary(report, opts),
        );
        reports.push(report);
        if (countsAsFailure(report, config.failOnDegraded)) exitCode = EXIT.failed;
      }
      // Interrupted is not failed: 130 (SIGINT) or 143 (SIGTERM), as a shell reports a process it stopped.
      if (input.stop.aborted) exitCode = exitForStop(input.stop);
      return { reports, exitCode };
    },
  };
}

/**
 * The project whose Cloud Trace holds the run's trace: GOOGLE_CLOUD_PROJECT, where the probe runs and its Collector
 * files spans (scheduling/otel-collector/config.yaml); else the project it reads (--gcp-project, PROBE_GCP_PROJECT).
 */
function traceProject(env: Env, probed: string | undefined): string | undefined {
  return env.GOOGLE_CLOUD_PROJECT?.trim() || probed || env.PROBE_GCP_PROJECT?.trim() || undefined;
}

async function writeReports(
  report: Report,
  config: RunConfig,
  target: string | undefined,
  several: boolean,
): Promise<void> {
  if (config.jsonPath)
    await writeReportFile(pathForTarget(config.jsonPath, target, several), `${JSON.stringify(report, null, 2)}\n`);
  // Each renderer is imported when its file is asked for, after the run: none is on the way to the first request.
  if (config.junitPath) {
    const { renderJunit } = await import('../report/junit.ts');
    await writeReportFile(pathForTarget(config.junitPath, target, several), renderJunit(report));
  }
  if (config.htmlPath) {
    const { renderHtml } = await import('../report/html.ts');
    await writeReportFile(pathForTarget(config.htmlPath, target, several), renderHtml(report));
  }
  if (config.transcriptPath) {
    const { renderTranscriptJsonl } = await import('../report/transcript-jsonl.ts');
    await writeReportFile(pathForTarget(config.transcriptPath, target, several), renderTranscriptJsonl(report));
  }
}

/**
 * `golden-probe run`: one run against a target. For machines (stdout not a terminal, or --log-format json):
 * JSON logs on stdout, the summary on stderr, as CI and Cloud Run read them. For a person at a terminal: the
 * live table and the summary on stdout, and log lines only when --log-level asks for them (on stderr).
 */
export async function runCommand(life: ProcessLifecycle, argv: readonly string[]): Promise<number> {
  const { values, problems } = parseOrThrow(argv, RUN_FLAGS);
  if (values.get('help'))
    return help(`golden-probe run [flags]\n\nOne run of the probe against a target.\n\n${renderFlags(RUN_FLAGS)}\n`);
  const otel = checkTelemetryEnv(process.env);
  const human = process.stdout.isTTY === true && logFormat(values, process.env) !== 'json';
  const levelAsked = values.has('log-level') || Boolean(process.env.PROBE_LOG_LEVEL?.trim());
  const prepared = await prepareRun({
    flags: values,
    env: process.env,
    summaryTo: human ? process.stdout : process.stderr,
    live: human,
    ...(human ? { logTo: pino.destination({ fd: 2, sync: true }) } : {}),
    defaultLogLevel: human && !levelAsked ? 'silent' : 'info',
    stop: life.stop,
    problems,
  });
  const telemetry = await startCliTelemetry(otel, version());
  life.attachTelemetry(telemetry);
  return (await prepared.run({ traceExported: telemetry.tracing })).exitCode;
}

/** --log-format / PROBE_LOG_FORMAT (a wrong value is reported by the configuration check). */
export function logFormat(flags: ReadonlyMap<string, string | boolean>, env: Env): string {
  const flag = flags.get('log-format');
  return (typeof flag === 'string' ? flag : env.PROBE_LOG_FORMAT?.trim() || 'auto').toLowerCase();
}
