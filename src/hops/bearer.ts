import type { HttpResponse } from '../net/http-client.ts';
import type { HopContext } from './hop-contract.ts';

/** The run's access token as the backend's REST routes take it. */
export function bearer(ctx: Pick<HopContext, 'state'>): Record<string, string> {
  return { Authorization: `Bearer ${ctx.state.accessToken!.reveal()}` };
}

/** A JSON request to the backend's REST API with the run's token, under the hop's deadline, no bypass header. */
export function backendJson(
  ctx: HopContext,
  method: 'GET' | 'POST',
  path: string,
  json?: unknown,
): Promise<HttpResponse> {
  return ctx.http.send({
    method,
    url: `${ctx.config.apiUrl}${path}`,
    // The span's url.template: the path without its query.
    route: path.split('?')[0]!,
    headers: bearer(ctx),
    ...(json === undefined ? {} : { json }),
    signal: ctx.signal,
    refuseBypassHeaders: true,
  });
}
