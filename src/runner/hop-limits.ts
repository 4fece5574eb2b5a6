import { resolveChain } from '../config/ordered-defaults.ts';
import type { RunConfig } from '../config/types.ts';
import type { HopName } from '../domain/hops.ts';
import type { ProbeDefinition } from '../domain/probe-definition.ts';

const BROWSER_LOGIN = { degradedMs: 10_000, timeoutMs: 45_000 };
const HOP_BUDGET_MS = 15_000;
/** Reading two services, their revisions and their secrets' versions: a handful of Google calls. */
const CONFIG_HOP_MS = 10_000;

export interface HopLimits {
  /** The hop fails as timed out past this. */
  budgetMs: number;
  /** The hop is degraded past this; undefined: never. */
  degradedMs: number | undefined;
}

/**
 * A hop's budget and degraded threshold. A default follows a value the definition set, as the CLI's
 * deadlines do: a 20 s degraded threshold without a budget gets a 40 s budget, not the 15 s that would make
 * it unreachable; a browser login budget of 8 s alone gets a 4 s threshold, not 10 s.
 */
export function hopLimits(name: HopName, config: RunConfig, definition: ProbeDefinition): HopLimits {
  if (name === 'agent.run') return { budgetMs: config.agentTimeoutMs + 1_000, degradedMs: config.agentDegradedMs };
  if (name === 'login' && config.login === 'browser') {
    const set = definition.browserLogin ?? {};
    const [degradedMs, budgetMs] = resolveChain([
      { set: set.degradedMs, fallback: BROWSER_LOGIN.degradedMs },
      { set: set.timeoutMs, fallback: BROWSER_LOGIN.timeoutMs },
    ]);
    return { budgetMs: budgetMs!, degradedMs };
  }
  const degradedMs = definition.degradedMs[name];
  const [, budgetMs] = resolveChain([
    { set: degradedMs, fallback: 0 },
    { set: definition.hopTimeoutMs[name], fallback: name === 'config' ? CONFIG_HOP_MS : HOP_BUDGET_MS },
  ]);
  return { budgetMs: budgetMs!, degradedMs };
}

/** Thresholds a definition set that its own budgets make unreachable: configuration problems. */
export function definitionContradictions(definition: ProbeDefinition): string[] {
  type Pair = [string, number | undefined, string, number | undefined];
  const browser = definition.browserLogin;
  const pairs: Pair[] = [
    ['browserLogin.degradedMs', browser?.degradedMs, 'browserLogin.timeoutMs', browser?.timeoutMs],
    ...definition.hops.map((hop): Pair => {
      const [degraded, budget] = [definition.degradedMs[hop], definition.hopTimeoutMs[hop]];
      return [`degradedMs['${hop}']`, degraded, `hopTimeoutMs['${hop}']`, budget];
    }),
  ];
  return pairs
    .filter(([, lower, , upper]) => lower !== undefined && upper !== undefined && lower >= upper)
    .map(([lowerName, lower, upperName, upper]) => `${lowerName} (${lower}) must be below ${upperName} (${upper})`);
}
