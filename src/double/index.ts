// The staging double's public entry: the only module the probe may import from src/double/.
export { FAULTS, isFaultName } from './faults.ts';
export type { FaultName } from './faults.ts';
export type { DoubleCredentials, DoubleOptions, EnvOverride, GoogleOptions, RecordedRequest, RunningDouble, RunningGoogle } from './types.ts';
export { startDouble } from './start-double.ts';
