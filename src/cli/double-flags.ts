// Flags shared by `demo` and `double`. Imports only the double's fault list, not the double itself.
import { FAULTS, isFaultName, type FaultName } from '../double/faults.ts';
import type { FlagSpec } from './parse-args.ts';

export const FAULT_FLAG: FlagSpec = { name: 'fault', kind: 'string', valueName: 'NAME', description: `the double's fault (${FAULTS.join(', ')})`, defaultText: 'healthy' };
export const SLOW_FLAG: FlagSpec = { name: 'slow-agent-ms', kind: 'int', valueName: 'MS', description: "how long the double's agent takes under slow_agent" };
export function fault(flags: ReadonlyMap<string, string | boolean>, problems: string[]): FaultName {
  const raw = (flags.get('fault') as string | undefined) ?? 'healthy';
  if (isFaultName(raw)) return raw;
  problems.push(`--fault: '${raw}' is not a fault of the double (one of ${FAULTS.join(', ')})`);
  return 'healthy';
}
