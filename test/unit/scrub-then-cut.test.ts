// Issue 21, items 1 and 3: a text is scrubbed before it is cut, and where a cut must come first (a body read up
// to 1 MiB) the end that could hold part of a secret goes; text from outside the run is scrubbed by shape.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { inSecretScope, rememberSecret, Secret } from '../../src/config/secret.ts';
import { scrubShapes } from '../../src/config/secret-shapes.ts';
import { HttpClient } from '../../src/net/http-client.ts';
import { responseDetail } from '../../src/net/response-detail.ts';
import { serverText } from '../../src/net/server-text.ts';
import { openWebSocket } from '../../src/net/ws-open.ts';

const KEY = 'cut-test-bypass-key-0123456789abcdefghij'; // 40 characters, as in the issue
new Secret(KEY);
const MIB = 1024 * 1024;

describe('scrub, then cut', () => {
  it('serverText takes a secret out whole wherever the cut falls across it', () => {
    for (let pad = 150; pad <= 200; pad++) {
      const out = serverText(`${'p'.repeat(pad)}${KEY} tail`, 200);
      assert.ok(!out.includes(KEY.slice(0, 16)), `pad ${pad}: ${out.slice(pad - 5)}`);
    }
  });

  describe('an HTTP body cut at 1 MiB', () => {
    let url = '';
    const server = createServer((req, res) => {
      const pad = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('pad'));
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end(`${' '.repeat(pad)}${KEY}${' '.repeat(64 * 1024)}`);
    });
    const client = new HttpClient();
    before(async () => {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    after(async () => {
      await client.close();
      server.closeAllConnections();
      server.close();
    });

    // The case (1 MiB - 39 spaces, then the 40-character key) and every other cut inside the key.
    it('the key cut at any of its 39 inner boundaries never shows, not even in part', async () => {
      for (let inKey = 1; inKey < KEY.length; inKey++) {
        const res = await client.send({
          method: 'GET',
          url: `${url}?pad=${MIB - inKey}`,
          signal: AbortSignal.timeout(10_000),
        });
        assert.equal(res.status, 401);
        assert.ok(res.text.length < MIB && res.text.length > MIB - 200, `kept ${res.text.length} chars`);
        assert.ok(!res.text.includes(KEY.slice(0, inKey)), `cut ${inKey} in: the start of the key is dropped too`);
        assert.doesNotMatch(responseDetail(res), /cut-test/);
      }
    });
  });

  describe('a rejected upgrade body, kept to 2048 characters', () => {
    let url = '';
    const server = createServer();
    server.on('upgrade', (req, socket) => {
      const pad = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('pad'));
      const body = `${'u'.repeat(pad)}${KEY} and more`;
      socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
    });
    before(async () => {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
    });
    after(() => new Promise<void>((r) => server.close(() => r())));

    it('the key across the 2048th character is taken out whole, at every boundary inside it', async () => {
      for (let inKey = 1; inKey < KEY.length; inKey++) {
        const opened = await openWebSocket({
          url: `${url}?pad=${2048 - inKey}`,
          headers: {},
          protocols: [],
          signal: AbortSignal.timeout(5_000),
        });
        assert.equal(opened.kind, 'rejected');
        const body = opened.kind === 'rejected' ? opened.body : '';
        assert.ok(body.length <= 2048, `kept ${body.length}`);
        assert.ok(!body.includes(KEY.slice(0, Math.min(inKey, 8))), `cut ${inKey} in: no piece of the key`);
      }
    });
  });
});

describe('secrets by their shape (text from outside the run)', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['refresh_token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln&next=1', 'refresh_token=[REDACTED]&next=1', /c2ln/],
    [
      'could not connect to postgres://app:Pa55w0rd@10.0.0.3:5432/netra',
      'postgres://app:[REDACTED]@10.0.0.3',
      /Pa55w0rd/,
    ],
    ['{"user": "a", "password": "hunter2!x", "n": 1}', '"password": "[REDACTED]"', /hunter2/],
    ['{\\"client_secret\\": \\"s3cr3t-value\\"}', '\\"client_secret\\": \\"[REDACTED]\\"', /s3cr3t/],
    [
      'headers: Authorization: Bearer abcdef123456 X-Service-Secret: zyx987654',
      'Bearer [REDACTED]',
      /abcdef123456|zyx987654/,
    ],
    ['api_key=AIzaSyA-1234567890 apiKey: AKIA1234567890', 'api_key=[REDACTED]', /AIzaSy|AKIA12/],
    ['cookie: session=abcdef0123456789', 'cookie: [REDACTED]', /abcdef0123/],
    ['log cut inside "access_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIi', '"access_token": "[REDACTED]"', /eyJzdWIi/],
  ];
  for (const [text, shows, hidden] of cases) {
    it(`${text.slice(0, 40)}…`, () => {
      const out = scrubShapes(text);
      assert.ok(out.includes(shows), out);
      assert.doesNotMatch(out, hidden);
      assert.equal(scrubShapes(out), out, 'scrubbing twice changes nothing');
    });
  }

  it('leaves ordinary error text alone', () => {
    for (const text of [
      'AUTH_FAILED: Authentication failed: Token validation failed (invalid_service_secret)',
      'Invalid service secret',
      '{"valid": false, "error": "invalid_service_secret", "token_type": "access"}',
      'GET https://api.staging.netrasystems.ai/api/chat/messages answered 403',
      'secret: short',
    ])
      assert.equal(scrubShapes(text), text);
  });

  it('a run’s server text goes through both: known values in any form, then shapes', async () => {
    await inSecretScope(async () => {
      rememberSecret('run-token-value-7788');
      const out = serverText('echo run%2Dtoken%2Dvalue%2D7788 and password=other', 200);
      assert.equal(out, 'echo [REDACTED] and password=[REDACTED]');
    });
  });
});
