// The hop table for a person at a terminal: each row as its hop finishes, and while agent.run waits, one
// line that rewrites itself ("waiting for agent events 12/30 s: agent_started, agent_thinking"). Only on a
// TTY: CI logs and pipes get the whole summary at the end, with no carriage returns in it.
import type { Writable } from 'node:stream';
import { GOLDEN_EVENTS } from '../agent/agent-events.ts';
import type { HopName } from '../domain/hops.ts';
import type { RunState } from '../hops/hop-contract.ts';
import type { RunObserver } from '../runner/run-probe.ts';
import { escapeControlChars } from '../text/control-chars.ts';
import { hopLine, renderHeader, TABLE_HEADING } from './human-summary.ts';
import type { HopReport } from './types.ts';

const TICK_MS = 1_000;
const GOLDEN = new Set<string>(GOLDEN_EVENTS);
/** Carriage return, then erase the line: the wait line is replaced, never scrolled. */
const CLEAR = '\r\x1b[2K';

export class LiveTable implements RunObserver {
  readonly #out: Writable;
  readonly #agentTimeoutMs: number;
  #timer: NodeJS.Timeout | undefined;
  #waiting = false;

  constructor(out: Writable, opts: { agentTimeoutMs: number }) {
    this.#out = out;
    this.#agentTimeoutMs = opts.agentTimeoutMs;
  }

  runStarted(run: Parameters<RunObserver['runStarted']>[0]): void {
    this.#out.write(`${renderHeader(run)}\n${TABLE_HEADING}\n`);
  }

  hopStarted(name: HopName, state: Readonly<RunState>): void {
    if (name !== 'agent.run') return;
    const started = performance.now();
    this.#timer = setInterval(() => {
      const waited = Math.floor((performance.now() - started) / 1000);
      const arrived = eventsSoFar(state);
      this.#waiting = true;
      this.#out.write(
        `${CLEAR}  waiting for agent events ${waited}/${Math.round(this.#agentTimeoutMs / 1000)} s: ` +
          `${arrived.length ? arrived.join(', ') : 'none yet'}`,
      );
    }, TICK_MS);
    this.#timer.unref();
  }

  hopFinished(hop: HopReport): void {
    this.#stopWaiting();
    this.#out.write(`  ${escapeControlChars(hopLine(hop))}\n`);
  }

  /** The run is over (or stopped): no wait line may outlive it. */
  close(): void {
    this.#stopWaiting();
  }

  #stopWaiting(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#waiting) this.#out.write(CLEAR);
    this.#waiting = false;
  }
}

/** The golden events received since start_agent, each named once, in the order they first came. */
function eventsSoFar(state: Readonly<RunState>): string[] {
  const frames = state.transcript?.snapshot({ user: undefined, thread: state.threadId }).frames ?? [];
  const start = frames.findLastIndex((f) => f.dir === 'sent' && f.readAs === 'start_agent');
  const seen: string[] = [];
  for (const f of frames.slice(start + 1)) {
    if (f.dir === 'received' && GOLDEN.has(f.readAs) && !seen.includes(f.readAs)) seen.push(f.readAs);
  }
  return seen;
}
