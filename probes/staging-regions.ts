import type { ProbeDefinition } from '../src/domain/probe-definition.ts';
import { probe as goldenPath } from './golden-path.ts';

/**
 * The golden path against several staging entry points at once. Run as one Cloud Run Job with
 * `--tasks 2` (CLOUD_RUN_TASK_INDEX/COUNT) and each task takes its share; `--shard 0/2` does the same by hand.
 * The hosts are the two spellings seen in the Netra source (docs/netra-protocol-notes.md §9): which one is live is
 * exactly what this probe tells you.
 */
export const probe: ProbeDefinition = {
  ...goldenPath,
  name: 'staging-regions',
  description: 'the golden path against every staging entry point (sharded)',
  targets: [
    {
      name: 'api-staging',
      apiUrl: 'https://api.staging.netrasystems.ai',
      authUrl: 'https://auth.staging.netrasystems.ai',
    },
    {
      name: 'staging-lb',
      apiUrl: 'https://staging.netrasystems.ai',
      authUrl: 'https://staging.netrasystems.ai',
      wsUrl: 'wss://staging.netrasystems.ai/ws',
    },
  ],
};
