/**
 * A sentence for a request that got no HTTP answer, built from the error's code only: error messages
 * from TLS and the HTTP parser can quote what the server sent, and a hostile server chooses that.
 */
export function describeNetworkError(err: unknown, url: URL): string {
  const code = errorCode(err);
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80)}`;
  if (code === 'ECONNREFUSED') return `connection refused (ECONNREFUSED): nothing listens at ${where}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
    return `the host name ${url.hostname} does not resolve (${code})`;
  }
  // undici names a connection the server closed mid-answer UND_ERR_SOCKET.
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return `${where} hung up (${code})`;
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return `${where} is unreachable (${code})`;
  if (CERTIFICATE_CODES.has(code)) {
    return (
      `the TLS certificate of ${where} is not trusted (${code}); for a private CA, point NODE_EXTRA_CA_CERTS at its ` +
      `PEM file`
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `the TLS certificate of ${where} does not name ${url.hostname} (${code})`;
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_')) {
    return `the TLS handshake with ${where} failed (${code}): is it serving TLS on that port?`;
  }
  if (code.startsWith('HPE_') || code === 'HTTPParserError') return `${where} sent a malformed HTTP response (${code})`;
  return `${where}: ${code}`;
}

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

export function errorCode(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  if (typeof code === 'string') return code;
  // undici's parser error may carry no code; its name says what happened.
  return e?.name === 'HTTPParserError' ? 'HTTPParserError' : 'network error';
}
