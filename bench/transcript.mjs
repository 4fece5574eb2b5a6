// What keeping the WebSocket transcript costs per frame: the recorder alone, fed typical agent frames and
// a flood, with a known secret to scrub (as in a run). Prints per-frame microseconds and the bounded size.
//
//   npx node bench/transcript.mjs [--frames N]

import { WsTranscript } from '../src/agent/ws-transcript.ts';
import { rememberSecret } from '../src/config/secret.ts';

const arg = process.argv.indexOf('--frames');
const frames = arg === -1 ? 50_000 : Number(process.argv[arg + 1]);
rememberSecret(`eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.${'s'.repeat(43)}`);
rememberSecret('bench-service-secret-0123456789');

const ids = { run_id: 'run_1', thread_id: 'thread_1', user_id: 'thread_1' };
const shapes = {
  'flat agent_thinking (300 B)': { critical: true, type: 'agent_thinking', reasoning: 'r'.repeat(150), ...ids },
  'tool_completed (4 KiB)': {
    type: 'tool_completed',
    run_id: 'run_1',
    user_id: 'u',
    data: { result: 'x'.repeat(4000) },
  },
  'agent_completed (256 KiB)': {
    critical: true,
    type: 'agent_completed',
    final_response: 'y'.repeat(256 * 1024),
    ...ids,
  },
};

for (const [name, json] of Object.entries(shapes)) {
  const text = JSON.stringify(json);
  const n = name.includes('256') ? Math.min(frames, 2_000) : frames;
  const t = new WsTranscript();
  t.opened(performance.now());
  const t0 = performance.now();
  for (let i = 0; i < n; i++) t.received(text, text.length, json, 'json', performance.now());
  const us = ((performance.now() - t0) * 1000) / n;
  const snap = t.snapshot({ user: 'u', thread: 'thread_1' });
  const kept = JSON.stringify(snap).length;
  const size = `${(kept / 1024).toFixed(0)} KiB as JSON`;
  console.log(
    `${name.padEnd(28)} ${n} frames: ${us.toFixed(1)} µs/frame · kept ${snap.frames.length}, ${size}, omitted ` +
      `${snap.omitted}`,
  );
}
