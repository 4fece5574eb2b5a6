// The kind of a request that got no HTTP answer, as `error.type` names it on CLIENT spans (HTTP and the WebSocket
// upgrade alike): low-cardinality, from the error's code only. The same kinds, from the same codes, as the one
// description of a network error that issue 22 builds in src/net/network-error.ts (dns, refused, reset, tls,
// timeout, unreachable, protocol, other); once that is merged this maps its kind ('other' is the semantic
// conventions' `_OTHER` here), plus `aborted` for a request the probe cancelled.
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
  if (['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED'].includes(code)) return 'reset';
  if (['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN'].includes(code)) return 'unreachable';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'timeout';
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code.includes('CERT')) {
    return 'tls';
  }
  if (code.startsWith('HPE_') || code === 'HTTPParserError' || code.startsWith('WS_ERR_')) return 'protocol';
  // The semantic conventions' value for a kind the instrumentation does not name.
  return '_OTHER';
}
