import type { Span } from '@opentelemetry/api';
import type { JudgeInput } from '../agent/agent-run-judge.ts';
import type { Arrival } from '../net/frame-queue.ts';
import { serverText } from '../net/server-text.ts';

/**
 * What a socket hop feeds its judge for one arrival from the frame queue; a close is also put on the hop's span.
 * `sentAt`: the request's performance.now() time, so frames carry their time after it and a deadline its wait.
 */
export function judgeInputOf(arrival: Arrival, span: Span | undefined, sentAt?: number): JudgeInput {
  if (arrival.kind === 'aborted') {
    return sentAt === undefined
      ? { kind: 'deadline' }
      : { kind: 'deadline', waitedMs: Math.round(performance.now() - sentAt) };
  }
  if (arrival.kind === 'closed') {
    span?.setAttributes({
      'websocket.close.code': arrival.code,
      'websocket.close.reason': serverText(arrival.reason, 123),
    });
    return arrival;
  }
  const { json, kind, at } = arrival.frame;
  return sentAt === undefined
    ? { kind: 'frame', json, form: kind }
    : { kind: 'frame', json, form: kind, atMs: Math.round(at - sentAt) };
}
