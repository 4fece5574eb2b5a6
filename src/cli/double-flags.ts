// Flags shared by `demo` and `double`. Imports only the double's fault list and schedule rule, not the double itself.

import type { FlagSpec } from '../config/flag-values.ts';
import { canBeIntermittent } from '../double/fault-schedule.ts';
import { FAULTS, type FaultName, isFaultName } from '../double/faults.ts';
import { nearest } from '../text/nearest.ts';

export const FAULT_FLAG: FlagSpec = {
  name: 'fault',
  kind: 'string',
  valueName: 'NAME',
  description: `the double's fault (${FAULTS.join(', ')})`,
  defaultText: 'healthy',
};
export const FAULT_EVERY_FLAG: FlagSpec = {
  name: 'fault-every',
  kind: 'int',
  valueName: 'K',
  description:
    'make the fault intermittent: one golden-path attempt in K gets it (the 1st, K+1th, …; attempts counted by ' +
    'logins), the others are healthy; not for oauth_* faults',
  defaultText: '1, every attempt',
};
export const SLOW_FLAG: FlagSpec = {
  name: 'slow-agent-ms',
  kind: 'int',
  valueName: 'MS',
  description: "how long the double's agent takes under slow_agent",
};
const MAX_FAULT_EVERY = 1_000;

export function fault(flags: ReadonlyMap<string, string | boolean>, problems: string[]): FaultName {
  const raw = (flags.get('fault') as string | undefined) ?? 'healthy';
  if (isFaultName(raw)) return raw;
  const near = nearest(raw, FAULTS);
  problems.push(
    near
      ? `--fault: '${raw}' is not a fault of the double; did you mean ${near}? (docs/double.md lists them all)`
      : `--fault: '${raw}' is not a fault of the double (one of ${FAULTS.join(', ')})`,
  );
  return 'healthy';
}

/** --fault-every K (1 when absent). The oauth_* faults rewire the OAuth path at start, so they cannot come and go. */
export function faultEvery(
  flags: ReadonlyMap<string, string | boolean>,
  chosen: FaultName,
  problems: string[],
): number {
  const raw = flags.get('fault-every');
  if (typeof raw !== 'string') return 1;
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_FAULT_EVERY) {
    problems.push(`--fault-every: '${raw}' must be a whole number from 1 to ${MAX_FAULT_EVERY}`);
    return 1;
  }
  if (n > 1 && !canBeIntermittent(chosen)) {
    problems.push(
      `--fault-every: ${chosen} cannot be intermittent (it changes the OAuth wiring when the double starts)`,
    );
    return 1;
  }
  return n;
}
