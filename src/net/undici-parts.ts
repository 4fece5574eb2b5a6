// undici's Agent, connector and request API, loaded without its index, which also loads fetch, WebSocket,
// EventSource, the cache and mock agents: modules a cron run never uses and pays for at every start
// (bench/run.mjs: ~13 MiB of peak RSS). The version is pinned exactly in package.json, and
// test/unit/http-client.test.ts exercises these entry points.
import { createRequire } from 'node:module';
import type { Agent as UndiciAgent, buildConnector as UndiciBuildConnector, Dispatcher } from 'undici';

const load = createRequire(import.meta.url);

export const Agent = load('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;
export const buildConnector = load('undici/lib/core/connect.js') as typeof UndiciBuildConnector;
type ApiRequest = (this: Dispatcher, opts: object) => Promise<Dispatcher.ResponseData>;
const apiRequest = load('undici/lib/api/api-request.js') as ApiRequest;

export type RequestOptions = Pick<Dispatcher.RequestOptions, 'method' | 'headers' | 'body' | 'signal'>;

/** undici's request() on `dispatcher` (what `request(url, { dispatcher })` does, minus the index). */
export function request(dispatcher: Dispatcher, url: URL, opts: RequestOptions): Promise<Dispatcher.ResponseData> {
  return apiRequest.call(dispatcher, { ...opts, origin: url.origin, path: `${url.pathname}${url.search}` });
}
