// OTEL_TRACES_SAMPLER's decision for a trace the probe starts, without the SDK: the ids-only tracer (nothing
// exported) still sends traceparent, and its sampled flag tells the backend's own exported spans whether to
// record. The ratio test is the SDK's TraceIdRatioBasedSampler's, so both ways agree on the same trace id.
import type { SamplerPlan } from './check-otel-env.ts';

export function sampleNewTrace(plan: SamplerPlan, traceId: string): boolean {
  if (plan.root === 'always_on') return true;
  if (plan.root === 'always_off') return false;
  const ratio = Math.max(0, Math.min(1, plan.ratio));
  return accumulate(traceId) < (ratio === 1 ? 2 ** 32 : Math.floor(ratio * 0xffffffff));
}

function accumulate(traceId: string): number {
  let accumulation = 0;
  for (let i = 0; i < traceId.length / 8; i++) {
    const part = Number.parseInt(traceId.slice(i * 8, i * 8 + 8), 16);
    accumulation = (accumulation ^ part) >>> 0;
  }
  return accumulation;
}
