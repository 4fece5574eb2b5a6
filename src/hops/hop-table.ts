import type { HopName } from '../domain/hops.ts';
import { agentRun } from './agent-run.ts';
import { chatMessagesCreate, chatMessagesList } from './chat-messages.ts';
import { configHop } from './config.ts';
import type { Hop, RunState } from './hop-contract.ts';
import { login } from './login.ts';
import { serviceAuth } from './service-auth.ts';
import { threadCreate } from './thread-create.ts';
import { token } from './token.ts';
import { wsConnect } from './ws-connect.ts';

/** What a hop needs from an earlier one: which hop, the state it reads, and what is said when it is missing. */
export interface HopNeed {
  hop: HopName;
  /** The hop's input is in the run's state. */
  has: (state: RunState) => boolean;
  /** After "<hop> ": why the input is missing when the needed hop ran (e.g. "produced no token"). */
  missing: string;
}

export interface HopEntry {
  run: Hop;
  /** Without its input the hop is skipped (the runner says why); independent hops still run. */
  needs?: HopNeed;
}

const TOKEN: HopNeed = { hop: 'login', has: (s) => s.accessToken !== undefined, missing: 'produced no token' };
const OPEN_SOCKET: HopNeed = {
  hop: 'ws.connect',
  has: (s) => s.socket !== undefined && s.socket.readyState === s.socket.OPEN,
  missing: 'produced no open socket',
};

/**
 * Every hop by name (docs/hops.md): its code and what it needs, declared once. Adding a hop is a name in
 * src/domain/hops.ts, an entry here, its codes in src/domain/verdict-codes.ts, and its docs rows.
 */
export const HOPS: Readonly<Record<HopName, HopEntry>> = {
  config: { run: configHop },
  login: { run: login },
  token: { run: token, needs: TOKEN },
  'service.auth': { run: serviceAuth, needs: TOKEN },
  'thread.create': { run: threadCreate, needs: TOKEN },
  'ws.connect': { run: wsConnect, needs: TOKEN },
  'agent.run': { run: agentRun, needs: OPEN_SOCKET },
  'chat.messages.list': { run: chatMessagesList, needs: TOKEN },
  'chat.messages.create': { run: chatMessagesCreate, needs: TOKEN },
};

/** Why a hop cannot run now, or undefined when its input is there. `ran`: the hops played so far, with status. */
export function missingInput(
  name: HopName,
  state: RunState,
  ran: readonly { name: HopName; status: string }[],
): string | undefined {
  const need = HOPS[name].needs;
  if (!need || need.has(state)) return undefined;
  const needed = ran.find((h) => h.name === need.hop);
  if (!needed) return `the probe has no ${need.hop} hop`;
  return `${need.hop} ${needed.status === 'skip' ? 'was skipped' : need.missing}`;
}
