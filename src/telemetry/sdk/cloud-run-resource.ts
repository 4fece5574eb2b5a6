// Resource attributes, under the semantic conventions' names, from the variables Cloud Run sets in a job's or a
// service's container (CLOUD_RUN_JOB/EXECUTION/TASK_INDEX, K_SERVICE/K_REVISION): the environment only, no
// detector that asks a metadata server. These are the values the GCP resource detector gives too; faas.instance
// (the instance id), cloud.region and cloud.account.id only the metadata server knows, so they are left to the
// Collector's resourcedetection (gcp) processor, which does not override what the probe sent
// (scheduling/otel-collector/config.yaml): a made-up faas.instance here would beat the real one.
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
    return {
      ...base,
      'faas.name': job,
      ...(execution ? { 'gcp.cloud_run.job.execution': execution } : {}),
      ...(index === undefined ? {} : { 'gcp.cloud_run.job.task_index': index }),
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
