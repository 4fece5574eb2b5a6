import { deriveWsUrl } from '../config/load-run-config.ts';
import type { RunConfig } from '../config/types.ts';
import type { ProbeDefinition } from '../domain/probe-definition.ts';

export interface TargetRun {
  /** The definition's target name; undefined for the single target given by flags/env. */
  name: string | undefined;
  config: RunConfig;
}

/**
 * This process's share of the probe's targets: shard i of n takes targets i, i+n, …, so one Cloud Run
 * Job with n parallel tasks covers them all. Without targets in the definition there is one target,
 * run by shard 0.
 */
export function targetsForShard(definition: ProbeDefinition, config: RunConfig): TargetRun[] {
  const { index, count } = config.shard;
  if (!definition.targets?.length) return index === 0 ? [{ name: undefined, config }] : [];
  return definition.targets
    .filter((_, i) => i % count === index)
    .map((t) => ({
      name: t.name,
      config: { ...config, apiUrl: t.apiUrl, authUrl: t.authUrl, wsUrl: t.wsUrl ?? deriveWsUrl(t.apiUrl) },
    }));
}

/** `report.json` → `report.<target>.json` when a run has several targets, so none overwrites another. */
export function pathForTarget(path: string, target: string | undefined, several: boolean): string {
  if (!several || !target) return path;
  const safe = target.replace(/[^\w.-]+/g, '_');
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') ? `${path.slice(0, dot)}.${safe}${path.slice(dot)}` : `${path}.${safe}`;
}
