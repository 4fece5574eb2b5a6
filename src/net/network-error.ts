/**
 * ONE description of a request that got no answer, shared by HTTP (undici) and the WebSocket (ws): the kind
 * (what a person does about it differs: DNS, nothing listening, a hang-up, TLS, a deadline), the error's
 * code, and a sentence. Built from the error's code only: error messages from TLS and the HTTP parser can
 * quote what the server sent, and a hostile server chooses that.
 */
export type NetworkErrorKind = 'dns' | 'refused' | 'reset' | 'tls' | 'timeout' | 'unreachable' | 'protocol' | 'other';

export interface NetworkError {
  kind: NetworkErrorKind;
  /** The error's code (ENOTFOUND, ECONNREFUSED, …), or `timeout` for the probe's own deadline. */
  code: string;
  /** Where, and what happened; no text the server chose. */
  text: string;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
// undici names a connection the server closed mid-answer UND_ERR_SOCKET.
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED']);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN']);
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
]);

export function hostPort(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80)}`;
}

/** What went wrong with a connection to `url`, from the error a client threw or emitted. */
export function networkErrorOf(err: unknown, url: URL): NetworkError {
  const code = errorCode(err);
  const where = hostPort(url);
  const of = (kind: NetworkErrorKind, text: string): NetworkError => ({ kind, code, text });
  if (code === 'ECONNREFUSED') return of('refused', `connection refused (ECONNREFUSED): nothing listens at ${where}`);
  if (DNS_CODES.has(code)) return of('dns', `the host name ${url.hostname} does not resolve (${code})`);
  if (RESET_CODES.has(code)) return of('reset', `${where} hung up (${code})`);
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT')
    return of('timeout', `${where} did not accept a connection in time (${code})`);
  if (UNREACHABLE_CODES.has(code)) return of('unreachable', `${where} is unreachable (${code})`);
  if (CERTIFICATE_CODES.has(code)) {
    return of(
      'tls',
      `the TLS certificate of ${where} is not trusted (${code}); for a private CA, point NODE_EXTRA_CA_CERTS at its ` +
        `PEM file`,
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return of('tls', `the TLS certificate of ${where} does not name ${url.hostname} (${code})`);
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_')) {
    return of('tls', `the TLS handshake with ${where} failed (${code}): is it serving TLS on that port?`);
  }
  if (code.startsWith('HPE_') || code === 'HTTPParserError' || code.startsWith('WS_ERR_'))
    return of(
      'protocol',
      `${where} sent a malformed ${code.startsWith('WS_') ? 'WebSocket' : 'HTTP'} response (${code})`,
    );
  return of('other', `${where}: ${code}`);
}

/** Chromium's network errors (`net::ERR_NAME_NOT_RESOLVED`, browser login) in the same kinds. */
export function chromiumErrorKind(code: string): NetworkErrorKind {
  const name = code.replace(/^net::/, '');
  if (name === 'ERR_NAME_NOT_RESOLVED' || name === 'ERR_NAME_RESOLUTION_FAILED') return 'dns';
  if (name === 'ERR_CONNECTION_REFUSED') return 'refused';
  if (['ERR_CONNECTION_RESET', 'ERR_CONNECTION_CLOSED', 'ERR_EMPTY_RESPONSE', 'ERR_CONNECTION_ABORTED'].includes(name))
    return 'reset';
  if (name.startsWith('ERR_CERT_') || name.startsWith('ERR_SSL_')) return 'tls';
  if (name === 'ERR_TIMED_OUT' || name === 'ERR_CONNECTION_TIMED_OUT') return 'timeout';
  if (name === 'ERR_ADDRESS_UNREACHABLE' || name === 'ERR_INTERNET_DISCONNECTED') return 'unreachable';
  return 'other';
}

/** The probe's own deadline passed with no answer: the same description, kind `timeout`. */
export function deadlineError(url: URL, what = 'no response before the deadline'): NetworkError {
  return { kind: 'timeout', code: 'timeout', text: `${url.origin}${url.pathname}: ${what}` };
}

export function errorCode(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]{2,60}$/.test(code)) return code;
  // undici's parser error may carry no code; its name says what happened.
  return e?.name === 'HTTPParserError' ? 'HTTPParserError' : 'network error';
}

/** What to check, per kind, for the service at `url` (`who`: "the auth service", "the backend"). */
export function adviceFor(kind: NetworkErrorKind, who: string, url: string): string {
  switch (kind) {
    case 'dns':
      return `the host name in ${url} does not resolve: check the URL (a typo, or a service that was deleted) and DNS from where the probe runs`;
    case 'refused':
      return `nothing listens at ${url}: check the URL and port, and that ${who} is deployed and serving there`;
    case 'reset':
      return `${who} at ${url} dropped the connection: check its instances for crashes or restarts, and any proxy in front of it`;
    case 'tls':
      return `TLS with ${url} failed: check the URL's scheme and port, and the service's certificate (or NODE_EXTRA_CA_CERTS for a private CA)`;
    case 'timeout':
      return `${who} at ${url} did not answer in time: check its Cloud Run revision, its health and its logs (a cold start, a hung instance, or a firewall dropping packets)`;
    case 'unreachable':
      return `the network cannot reach ${url}: check the probe's network route and egress (VPC connector, firewall)`;
    case 'protocol':
      return `${url} answered with something that is not HTTP: check that the URL points at ${who}, not another port or protocol`;
    default:
      return `check ${who}'s Cloud Run revision, its health and its logs`;
  }
}
