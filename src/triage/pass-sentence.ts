import type { LoginMode } from '../config/types.ts';
import type { HopName } from '../domain/hops.ts';
import type { HopReport } from '../report/types.ts';

/**
 * What a passing hop proves, as a phrase of the PASS sentence. One row per hop: a new hop adds its phrase
 * here (the Record makes the type check ask for it), and the sentence claims only what ran.
 * `user`: something a real user does ("A real user can …"); `check`: something the services do for them.
 */
const PROVES: Readonly<Record<HopName, { user: string } | { check: string }>> = {
  config: { check: "the two services' deployed configuration is consistent" },
  login: { user: 'log in' }, // PROVES_LOGIN: said per login mode in passSentence
  token: { user: 'get a well-formed token' },
  'service.auth': { check: "the auth service accepts the backend's service credentials" },
  'thread.create': { user: 'create a thread' },
  'ws.connect': { user: 'open the WebSocket' },
  // Not "all five events": a run whose agent used no tool passes without the tool pair (docs/agent-events.md).
  'agent.run': { user: 'run an agent and see its events in order' },
  'chat.messages.list': { user: 'list chat messages' },
  'chat.messages.create': { user: 'create a chat message' },
};

const PROVES_LOGIN = 'log in';

/** "a, b and c" */
function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * The PASS sentence, built from the hops that ran (passed or only slow): what they prove, then what was not
 * checked (skipped hops, with why). `capture`: a replayed capture, where no user ran anything live.
 */
export function passSentence(
  hops: readonly HopReport[],
  opts: { capture?: boolean; login?: LoginMode | undefined } = {},
): string {
  const ran = hops.filter((h) => h.status === 'pass' || h.status === 'degraded');
  if (opts.capture) {
    const agent = ran.some((h) => h.name === 'agent.run');
    return agent
      ? 'The captured agent run delivered its events, in order, for this run and user (judged by the live hop’s rules).'
      : 'The capture holds nothing the live hops would fail.';
  }
  const proved = ran.map((h) => PROVES[h.name]).flatMap((p) => ('user' in p ? [p.user] : []));
  // The e2e login is the bypass endpoint, which no real user takes: the sentence names it as the subject
  // instead of claiming "a real user can log in"; a browser login is said as such.
  const e2e = opts.login === 'e2e' && proved.includes(PROVES_LOGIN);
  const users = e2e
    ? proved.filter((u) => u !== PROVES_LOGIN)
    : proved.map((u) => (u === PROVES_LOGIN && opts.login === 'browser' ? 'sign in through the browser' : u));
  const checks = ran.map((h) => PROVES[h.name]).flatMap((p) => ('check' in p ? [p.check] : []));
  // Both chat hops read as one phrase, as a person would say it.
  const chat = ['list chat messages', 'create a chat message'];
  const merged = chat.every((c) => users.includes(c))
    ? [...users.filter((u) => !chat.includes(u)), 'use chat messages']
    : users;
  const sentences: string[] = [];
  if (merged.length) {
    sentences.push(`${e2e ? 'A user logged in through the e2e test login' : 'A real user'} can ${listed(merged)}.`);
  }
  if (checks.length) {
    const text = listed(checks);
    sentences.push(`${text[0]!.toUpperCase()}${text.slice(1)}.`);
  }
  const skipped = hops.filter((h) => h.status === 'skip');
  if (skipped.length) {
    sentences.push(
      `Not checked: ${skipped.map((h) => `${h.name}${h.skippedBecause ? ` (${h.skippedBecause})` : ''}`).join(', ')}.`,
    );
  }
  return sentences.join(' ') || 'No hop ran.';
}
