// The kind of a request that got no HTTP answer, as `error.type` names it on CLIENT spans (HTTP and the WebSocket
// upgrade alike): low-cardinality, from the error's code only. One set of names with the network-error
// descriptions (src/net/network-error.ts): dns, refused, reset, unreachable, tls, protocol, timeout, aborted.
import { errorCode } from './network-error.ts';

export type NetworkErrorKind =
  | 'dns'
  | 'refused'
  | 'reset'
  | 'unreachable'
  | 'tls'
  | 'protocol'
  | 'timeout'
  | 'aborted'
  | '_OTHER';

export function networkErrorKind(err: unknown): NetworkErrorKind {
  const code = errorCode(err);
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code.startsWith('EAI_')) return 'dns';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return 'reset';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'unreachable';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code.includes('TIMEOUT')) return 'timeout';
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.includes('CERT')) {
    return 'tls';
  }
  if (code.startsWith('HPE_') || code === 'HTTPParserError') return 'protocol';
  // The semantic conventions' value for a kind the instrumentation does not name.
  return '_OTHER';
}
