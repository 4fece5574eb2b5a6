import { serverText } from '../net/server-text.ts';

/** The five events a user must see, in this order (docs/netra-protocol-notes.md §5). */
export const GOLDEN_EVENTS = [
  'agent_started',
  'agent_thinking',
  'tool_executing',
  'tool_completed',
  'agent_completed',
] as const;
export type GoldenEvent = (typeof GOLDEN_EVENTS)[number];

/** Frames that end a run as failed. `error_message` is the backend's generic error frame. */
const FAILURE_EVENTS = ['agent_error', 'agent_failed', 'agent_death', 'error_message'] as const;

const KNOWN = new Set<string>([...GOLDEN_EVENTS, ...FAILURE_EVENTS]);

export function isGoldenEvent(name: string): name is GoldenEvent {
  return (GOLDEN_EVENTS as readonly string[]).includes(name);
}

export function isFailureEvent(name: string): boolean {
  return (FAILURE_EVENTS as readonly string[]).includes(name);
}

/**
 * The event a frame carries. The real-agent path puts it in `type`; the fallback path wraps it in a
 * ServerMessage whose outer type is system_message/agent_progress/… and puts it in `data.type`; older
 * frames use `data.event`. Anything else (heartbeat, progress_update, …) is not an agent event.
 */
export function agentEventOf(frame: unknown): string | undefined {
  if (!frame || typeof frame !== 'object') return undefined;
  const { type, data } = frame as { type?: unknown; data?: unknown };
  const inner = data && typeof data === 'object' ? (data as { type?: unknown; event?: unknown }) : {};
  for (const candidate of [type, inner.type, inner.event]) {
    if (typeof candidate === 'string' && KNOWN.has(candidate)) return candidate;
  }
  return undefined;
}

export interface EventCheck {
  missing: GoldenEvent[];
  /** Pairs that arrived the wrong way round, e.g. "tool_completed before tool_executing". */
  outOfOrder: string[];
}

/** Checks the first arrival of each golden event: all present, and each after the one before it. */
export function checkEventOrder(arrivals: readonly string[]): EventCheck {
  const firstIndex = new Map<string, number>();
  arrivals.forEach((name, i) => {
    if (!firstIndex.has(name)) firstIndex.set(name, i);
  });
  const missing = GOLDEN_EVENTS.filter((e) => !firstIndex.has(e));
  const outOfOrder: string[] = [];
  const present = GOLDEN_EVENTS.filter((e) => firstIndex.has(e));
  for (let i = 1; i < present.length; i++) {
    const before = present[i - 1]!;
    const after = present[i]!;
    if (firstIndex.get(after)! < firstIndex.get(before)!) outOfOrder.push(`${after} before ${before}`);
  }
  return { missing, outOfOrder };
}

/**
 * A readable one-liner for an agent failure frame (agent_error's data.error_message, error_message's error_code, …).
 */
export function describeFailureFrame(name: string, frame: unknown): string {
  const f = (frame ?? {}) as Record<string, unknown>;
  const data = (f.data && typeof f.data === 'object' ? f.data : {}) as Record<string, unknown>;
  const parts = [
    f.error_code,
    data.error_code,
    f.error_message,
    data.error_message,
    data.message,
    data.death_cause,
    f.message,
  ].filter((v): v is string => typeof v === 'string' && v !== '');
  // A hostile backend may echo the token (or its signature part) in an error frame.
  const text = serverText([...new Set(parts)].join(': '), 300);
  return text ? `${name}: ${text}` : name;
}
