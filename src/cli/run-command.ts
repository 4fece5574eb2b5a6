import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { loadRunConfig } from '../config/load-run-config.ts';
import type { RunConfig } from '../config/types.ts';
import { renderHtml } from '../report/html.ts';
import { renderHumanSummary } from '../report/human-summary.ts';
import { renderJunit } from '../report/junit.ts';
import type { Report } from '../report/types.ts';
import { writeReportFile } from '../report/write-report-file.ts';
import { loadDefinition } from '../runner/load-definition.ts';
import { runProbe } from '../runner/run-probe.ts';
import { runWithRetries } from '../runner/run-with-retries.ts';
import { createLogger } from '../telemetry/logger.ts';
import { recordRunMetrics } from '../telemetry/metrics.ts';
import { EXIT, UsageError } from './exit-codes.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface RunCommandInput {
  flags: ReadonlyMap<string, string | boolean>;
  env: Env;
  /** Where the human summary goes: stderr for `run` (stdout carries JSON logs), stdout for `demo`. */
  summaryTo: Writable;
  defaultLogLevel: string;
  stop: AbortSignal;
  /** Problems already found (flags, OTEL_*), reported together with the run configuration's. */
  problems?: readonly string[];
}

export interface PreparedRun {
  config: RunConfig;
  run(): Promise<{ report: Report; exitCode: number }>;
}

/** Validates everything up front (exit 2 lists every problem), then runs, writes the reports, and picks the exit code. */
export async function prepareRun(input: RunCommandInput): Promise<PreparedRun> {
  const loadedConfig = loadRunConfig(input.flags, input.env, { logLevel: input.defaultLogLevel });
  const { config } = loadedConfig;
  const problems = [...(input.problems ?? []), ...loadedConfig.problems];
  const loaded = config ? await loadDefinition(config.probe) : {};
  if (loaded.problem) problems.push(loaded.problem);
  if (!config || !loaded.definition) throw new UsageError(problems);
  const definition = loaded.definition;
  const log: Logger = createLogger({ level: config.logLevel, gcpProject: input.env.GOOGLE_CLOUD_PROJECT });

  return {
    config,
    async run() {
      const report = await runWithRetries((attempt) => runProbe({ config, definition, log, stop: input.stop, attempt }), {
        retries: config.retries,
        stop: input.stop,
      });
      recordRunMetrics(report);
      const json = `${JSON.stringify(report, null, 2)}\n`;
      if (config.jsonPath) await writeReportFile(config.jsonPath, json);
      if (config.junitPath) await writeReportFile(config.junitPath, renderJunit(report));
      if (config.htmlPath) await writeReportFile(config.htmlPath, renderHtml(report));
      input.summaryTo.write(renderHumanSummary(report));
      const failed = report.result === 'fail' || (report.result === 'degraded' && config.failOnDegraded);
      return { report, exitCode: failed ? EXIT.failed : EXIT.ok };
    },
  };
}
