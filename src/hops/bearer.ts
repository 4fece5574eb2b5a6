import type { HopContext } from '../runner/hop-types.ts';

/** The run's access token as the backend's REST routes take it. */
export function bearer(ctx: Pick<HopContext, 'state'>): Record<string, string> {
  return { Authorization: `Bearer ${ctx.state.accessToken!.reveal()}` };
}
