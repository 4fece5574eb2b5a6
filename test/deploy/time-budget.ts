// The time budget of one scheduled run, written once: everything that happens in a task (or pod, or workflow
// step) must fit in the limit the platform kills it at, or a hanging staging -- the most important failure --
// loses its verdict and shows up as "no verdict". Figures come from the deploy files (deadlines, timeouts, the
// collector's startup probe) and from the probe's source (the bounds of the work after the deadline).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './deploy-files.ts';

export interface Term {
  name: string;
  ms: number;
  /** Where the figure comes from (file, or how it was measured). */
  from: string;
}

export interface Budget {
  /** The deploy file, e.g. terraform/job.tf. */
  where: string;
  terms: Term[];
  limitMs: number;
  limitFrom: string;
}

/** The deadlines a deploy file passes to the probe (never left to the probe's defaults). */
export interface Deadlines {
  runMs: number;
  agentMs: number;
  agentDegradedMs: number;
}

/** The one recorded healthy staging run reached agent_completed after 85 s (/work/coord/deadlines.md, zen README). */
export const RECORDED_AGENT_MS = 85_000;

/**
 * Container and Node start to the first hop. Measured 0.3-0.4 s for `npx node bin/golden-probe.js --version` on
 * the shared 2-core dev machine; 5 s covers a cold container on 1 Cloud Run vCPU with the SDK's imports.
 */
const NODE_START_MS = 5_000;
/** Unplanned slack: GC pauses, a slow stdout drain, clock skew between the platform and the process. */
const MARGIN_MS = 10_000;
/** A CronJob's activeDeadlineSeconds counts from the Job's start: pod scheduling and the image pull come first. */
const SCHEDULE_AND_PULL_MS = 60_000;

/** A `const NAME = 1_000;` of the probe's source, so the budget follows the code. */
function sourceConstant(file: string, name: string): number {
  const text = readFileSync(join(REPO, file), 'utf8');
  const m = new RegExp(`const ${name} = ([\\d_]+);`).exec(text);
  if (!m) throw new Error(`${file} has no const ${name}: the time budget reads it`);
  return Number((m[1] as string).replaceAll('_', ''));
}

/** The work after the probe's deadline, each bounded in the source. */
export function afterDeadline(): Term[] {
  return [
    {
      name: 'triage',
      ms: sourceConstant('src/runner/run-probe.ts', 'TRIAGE_BUDGET_MS'),
      from: 'src/runner/run-probe.ts TRIAGE_BUDGET_MS',
    },
    {
      name: 'log lookup',
      ms: sourceConstant('src/runner/run-probe.ts', 'LOG_LOOKUP_MS'),
      from: 'src/runner/run-probe.ts LOG_LOOKUP_MS',
    },
    {
      name: 'clean-up',
      ms: sourceConstant('src/runner/clean-up.ts', 'CLEANUP_MS'),
      from: 'src/runner/clean-up.ts CLEANUP_MS',
    },
    {
      name: 'export flush',
      ms: sourceConstant('src/cli/process-lifecycle.ts', 'FLUSH_MS'),
      from: 'src/cli/process-lifecycle.ts FLUSH_MS',
    },
  ];
}

export interface BudgetInput {
  where: string;
  deadlines: Deadlines;
  deadlineFrom: string;
  /** The collector sidecar's startup window (its startup probe's initial delay + period x failure threshold). */
  collectorStartMs?: number;
  /** Counted from before the container starts (Kubernetes' activeDeadlineSeconds). */
  includesSchedulingAndPull?: boolean;
  limitMs: number;
  limitFrom: string;
}

export function budgetOf(input: BudgetInput): Budget {
  const terms: Term[] = [];
  if (input.includesSchedulingAndPull)
    terms.push({ name: 'scheduling + image pull', ms: SCHEDULE_AND_PULL_MS, from: 'activeDeadlineSeconds counts it' });
  terms.push({ name: 'Node start', ms: NODE_START_MS, from: 'measured, see NODE_START_MS' });
  if (input.collectorStartMs !== undefined)
    terms.push({ name: 'collector start', ms: input.collectorStartMs, from: `${input.where} startup probe` });
  terms.push({ name: 'probe deadline', ms: input.deadlines.runMs, from: input.deadlineFrom });
  terms.push(...afterDeadline());
  terms.push({ name: 'margin', ms: MARGIN_MS, from: 'slack' });
  return { where: input.where, terms, limitMs: input.limitMs, limitFrom: input.limitFrom };
}

const s = (ms: number) => `${ms / 1000} s`;

/** "terms = total > limit" when the budget does not fit, and any deadline out of order. */
export function budgetProblems(budget: Budget, deadlines: Deadlines): string[] {
  const problems: string[] = [];
  const total = budget.terms.reduce((sum, t) => sum + t.ms, 0);
  if (!Number.isFinite(total) || !Number.isFinite(budget.limitMs) || total > budget.limitMs)
    problems.push(
      `${budget.where}: ${budget.terms.map((t) => `${t.name} ${s(t.ms)}`).join(' + ')} = ${s(total)} > ` +
        `${budget.limitFrom} ${s(budget.limitMs)}`,
    );
  const { agentDegradedMs, agentMs, runMs } = deadlines;
  if (!(RECORDED_AGENT_MS < agentDegradedMs && agentDegradedMs < agentMs && agentMs < runMs))
    problems.push(
      `${budget.where}: expected recorded agent run ${s(RECORDED_AGENT_MS)} < agent degraded ${s(agentDegradedMs)} ` +
        `< agent deadline ${s(agentMs)} < run deadline ${s(runMs)}`,
    );
  return problems;
}

/** The deadlines among a `run` command line's flags or env vars (NaN when one is missing). */
export function deadlinesFrom(lookup: (flag: string, env: string) => string | undefined): Deadlines {
  return {
    runMs: Number(lookup('--timeout-ms', 'PROBE_TIMEOUT_MS') ?? Number.NaN),
    agentMs: Number(lookup('--agent-timeout-ms', 'PROBE_AGENT_TIMEOUT_MS') ?? Number.NaN),
    agentDegradedMs: Number(lookup('--agent-degraded-ms', 'PROBE_AGENT_DEGRADED_MS') ?? Number.NaN),
  };
}

export const flagOf = (args: readonly string[]) => (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
