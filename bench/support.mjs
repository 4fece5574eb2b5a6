// What the bench scripts share: a counting OTLP/HTTP sink and the small statistics they report.
import { once } from 'node:events';
import { createServer } from 'node:http';

/** A local OTLP/HTTP receiver: 200 with an empty body (a valid empty Export*ServiceResponse), counted. */
export async function startOtlpSink() {
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/x-protobuf' }).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${server.address().port}`, count: () => count };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function round1(x) {
  return x === null ? null : Math.round(x * 10) / 10;
}

export function round2(x) {
  return x === null ? null : Math.round(x * 100) / 100;
}
