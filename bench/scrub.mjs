// What one scrub of a 300-character log line costs, outside any run (the three configured secrets) and inside
// a run's scope (plus an access and a refresh token): CPU µs, the median of seven batches of 50,000. One line
// with nothing escaped, one with percent, `&` and JSON escapes (the per-character patterns then run too).
//   npx node bench/scrub.mjs [repository root, default .]   (e.g. /work/main to compare)
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(process.argv[2] ?? '.');
const { inSecretScope, rememberSecret, scrubSecrets, Secret } = await import(
  pathToFileURL(`${root}/src/config/secret.ts`).href
);
new Secret('bench-bypass-key-0123456789abcdef');
new Secret(`bench-password&'"<>/x`);
new Secret('bench-service-secret-0123456789');
const EVIDENCE = 'all five events arrived '.repeat(10);
const LINES = {
  plain: `{"severity":"INFO","message":"agent.run: pass in 97 ms","evidence":["${EVIDENCE}"]}`.slice(0, 300),
  escaped: `{"severity":"INFO","message":"GET /api?x=%2F answered \\"403\\" & more","evidence":["${EVIDENCE}"]}`.slice(
    0,
    300,
  ),
};

function micros(line) {
  const batches = [];
  for (let b = 0; b < 7; b++) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < 50_000; i++) scrubSecrets(line);
    const { user, system } = process.cpuUsage(t0);
    batches.push((user + system) / 50_000);
  }
  return batches.sort((x, y) => x - y)[3].toFixed(3);
}

for (const [name, line] of Object.entries(LINES)) {
  const outside = micros(line);
  const inside = inSecretScope(() => {
    rememberSecret(`eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzb2FrIn0.${'a'.repeat(43)}`);
    rememberSecret(`eyJhbGciOiJIUzI1NiJ9.eyJ0eXAiOiJyZWZyZXNoIn0.${'b'.repeat(43)}`);
    return micros(line);
  });
  console.log(`${name} line: ${outside} µs outside a run, ${inside} µs in a run`);
}
