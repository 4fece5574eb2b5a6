// Resource attributes, under the semantic conventions' names, from the variables Cloud Run sets in a job's or a
// service's container: the environment only, no detector that asks a metadata server.
import type { Attributes } from '@opentelemetry/api';

type Env = Readonly<Record<string, string | undefined>>;

export function cloudRunResourceAttributes(env: Env): Attributes {
  const job = env.CLOUD_RUN_JOB?.trim();
  const service = env.K_SERVICE?.trim();
  if (!job && !service) return {};
  const base = { 'cloud.provider': 'gcp', 'cloud.platform': 'gcp_cloud_run' };
  if (job) {
    const execution = env.CLOUD_RUN_EXECUTION?.trim();
    const index = wholeNumber(env.CLOUD_RUN_TASK_INDEX);
    const attempt = wholeNumber(env.CLOUD_RUN_TASK_ATTEMPT);
    return {
      ...base,
      'faas.name': job,
      ...(execution ? { 'gcp.cloud_run.job.execution': execution } : {}),
      ...(index === undefined ? {} : { 'gcp.cloud_run.job.task_index': index }),
      // No attribute names a task's attempt; the instance (one container run) is execution, task and attempt.
      ...(execution && index !== undefined
        ? { 'faas.instance': `${execution}/task-${index}/attempt-${attempt ?? 0}` }
        : {}),
    };
  }
  // K_CONFIGURATION has no semantic-convention attribute (it is the service's name unless set otherwise).
  const revision = env.K_REVISION?.trim();
  return { ...base, 'faas.name': service!, ...(revision ? { 'faas.version': revision } : {}) };
}

function wholeNumber(raw: string | undefined): number | undefined {
  const text = raw?.trim();
  return text && /^\d+$/.test(text) ? Number(text) : undefined;
}
