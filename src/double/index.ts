// The staging double's public entry: the only module the probe may import from src/double/.

export type { FaultName } from './faults.ts';
export { FAULTS, isFaultName } from './faults.ts';
export { startDouble } from './start-double.ts';
export type {
  DoubleCredentials,
  DoubleOptions,
  EnvOverride,
  GoogleOptions,
  RecordedRequest,
  RunningDouble,
  RunningGoogle,
} from './types.ts';
