import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  dir: string;
  /** PEM of a private CA, for NODE_EXTRA_CA_CERTS. */
  caCertPath: string;
  /** A server certificate for 127.0.0.1/localhost signed by that CA. */
  serverKey: string;
  serverCert: string;
  /** A self-signed certificate for 127.0.0.1/localhost, trusted by nobody. */
  selfSignedKey: string;
  selfSignedCert: string;
}

/**
 * A throwaway PKI made with the openssl CLI for each test run: no key material is committed, and the
 * certificates are valid for a day.
 */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'golden-probe-pki-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const san = 'subjectAltName=IP:127.0.0.1,DNS:localhost';
  writeFileSync(
    at('server.ext'),
    `${san}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`,
  );

  /** A self-signed P-256 certificate valid for a day (the CA, and the one trusted by nobody). */
  const selfSigned = (subject: string, key: string, cert: string, ...extra: string[]) =>
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      subject,
      ...extra,
      '-keyout',
      key,
      '-out',
      cert,
    );
  selfSigned('/CN=golden-probe test CA', 'ca.key', 'ca.pem');
  openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    'server.ext',
    '-out',
    'server.pem',
  );
  selfSigned('/CN=127.0.0.1', 'self.key', 'self.pem', '-addext', san);

  return {
    dir,
    caCertPath: at('ca.pem'),
    serverKey: readFileSync(at('server.key'), 'utf8'),
    serverCert: readFileSync(at('server.pem'), 'utf8'),
    selfSignedKey: readFileSync(at('self.key'), 'utf8'),
    selfSignedCert: readFileSync(at('self.pem'), 'utf8'),
  };
}
