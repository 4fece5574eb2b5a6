// `error.type` on the CLIENT span of a request that got no HTTP answer (HTTP and the WebSocket upgrade alike): the
// kind of the one network-error description (src/net/network-error.ts: dns, refused, reset, tls, timeout,
// unreachable, protocol), low-cardinality; the semantic conventions' `_OTHER` for a kind it does not name, and
// `aborted` for a request the probe cancelled (no network error at all).
import type { NetworkError } from './network-error.ts';

export function errorTypeOf(network: NetworkError | undefined): string {
  if (!network) return 'aborted';
  return network.kind === 'other' ? '_OTHER' : network.kind;
}
