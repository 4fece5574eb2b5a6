// When the fault is in force. By default always. With `every: K` (> 1) it is intermittent: the double
// counts golden-path attempts by logins, and one attempt in K gets the fault — the 1st, the (K+1)th,
// the (2K+1)th … — while the others see a healthy double. An attempt lasts from its login to the next
// login, so the backend calls, the WebSocket and the triage calls of a faulted attempt meet the fault
// too. Made for one probe at a time: concurrent users' attempts would share the phase of the latest login.

import { effectsOf } from './fault-effects.ts';
import type { FaultName } from './faults.ts';

export interface FaultSchedule {
  /** 1: every attempt gets the fault; K > 1: one attempt in K. */
  readonly every: number;
  /** A login starts a new attempt. */
  beginAttempt(): void;
  /** Whether the attempt in progress gets the fault (before the first login: whether the first one will). */
  faulted(): boolean;
  /** Logins seen, and how many of their attempts got the fault. */
  counts(): { logins: number; faulted: number };
}

/**
 * The faults that can be intermittent: those whose effects are knobs read per request (not the OAuth wiring, fixed at
 * start).
 */
export function canBeIntermittent(fault: FaultName): boolean {
  const healthy = effectsOf('healthy').oauth;
  const o = effectsOf(fault).oauth;
  return (Object.keys(healthy) as Array<keyof typeof healthy>).every((k) => healthy[k] === o[k]);
}

export function faultSchedule(every: number): FaultSchedule {
  if (!Number.isSafeInteger(every) || every < 1)
    throw new Error(`faultEvery must be a whole number ≥ 1 (got ${String(every)})`);
  let logins = 0;
  let faultedLogins = 0;
  // Attempt n (1-based) is faulted when (n - 1) % every === 0; before any login, the next attempt is the first.
  const isFaulted = (attempt: number) => (Math.max(attempt, 1) - 1) % every === 0;
  return {
    every,
    beginAttempt() {
      logins++;
      if (isFaulted(logins)) faultedLogins++;
    },
    faulted: () => isFaulted(logins),
    counts: () => ({ logins, faulted: faultedLogins }),
  };
}

/** What is in force now: the fault's value during a faulted attempt, the healthy double's otherwise. */
export function inForce<T>(schedule: FaultSchedule, faulty: T, healthy: T): () => T {
  if (schedule.every === 1) return () => faulty;
  return () => (schedule.faulted() ? faulty : healthy);
}
