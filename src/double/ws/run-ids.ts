// The server's run ids. ThreadService makes `run_{thread_id}_{ms % 100000}_{uuid[:8]}` (thread_service.py:129 →
// unified_id_manager.py:385-413 at aebb16f77); runs recorded on staging also carry other formats
// (netra-protocol.md §4a). The double rotates through all of them run by run (both instances counted together),
// so a client that parses run ids, or assumes one format, meets the others within five runs.
import { randomBytes, randomUUID } from 'node:crypto';

export type RunIdSource = (threadId: string) => string;

const hex = (chars: number) =>
  randomBytes(Math.ceil(chars / 2))
    .toString('hex')
    .slice(0, chars);
const uuid8 = () => randomUUID().slice(0, 8);
const small = () => Date.now() % 100_000;

const FORMATS: ((threadId: string) => string)[] = [
  (threadId) => `run_${threadId}_${small()}_${uuid8()}`,
  () => `thread_${hex(16)}_run_${Date.now()}_${hex(8)}`,
  () => `run_session_${small()}_${hex(8)}_${small()}_${hex(8)}`,
  () => `run_chat_${Date.now()}_${small()}_${hex(8)}`,
  () => `demo_run_${Date.now()}_${small()}_${hex(8)}`,
];

export function runIdSource(): RunIdSource {
  let runs = 0;
  return (threadId) => {
    const format = FORMATS[runs++ % FORMATS.length] ?? FORMATS[0]!;
    return format(threadId);
  };
}
