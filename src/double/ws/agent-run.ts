// Plays an agent script on a connection: one step after another, each after its gap.

import type { RunContext, ScriptEvent } from './agent-events.ts';
import { frameMaker } from './agent-events.ts';
import type { AgentScript } from './agent-script.ts';
import { heartbeat } from './frames.ts';
import type { Timers } from './timers.ts';

/** Idle heartbeat while a stalled run never finishes (the real idle heartbeat is ~35 s; shorter here
 * so a probe sees traffic without the run progressing). */
const STALL_HEARTBEAT_MS = 2000;

function foreignRun(ctx: RunContext): RunContext {
  return { ...ctx, runId: `${ctx.runId}_other`, userId: 'other-user-7f3a', threadId: 'thread_other_7f3a' };
}

/** `onEnd` runs after the last step of a script that ends (not of one that stalls). */
export function runAgent(
  script: AgentScript,
  ctx: RunContext,
  timers: Timers,
  send: (frame: object) => void,
  onEnd: () => void = () => {},
): void {
  const frame = frameMaker(script.envelope);
  const seen = new Map<ScriptEvent, number>();
  const play = (i: number) => {
    const step = script.steps[i];
    if (step === undefined) {
      if (script.then === 'stall') {
        let beats = 0;
        timers.every(STALL_HEARTBEAT_MS, () => send(heartbeat(ctx.connectionId, ++beats)));
      } else onEnd();
      return;
    }
    timers.after(step.gapMs, () => {
      const n = (seen.get(step.event) ?? 0) + 1;
      seen.set(step.event, n);
      send(frame(step.event, step.foreign ? foreignRun(ctx) : ctx, n, step.agentName));
      play(i + 1);
    });
  };
  play(0);
}
