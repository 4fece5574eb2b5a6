// `golden-probe serve` itself (src/cli/main.ts, the same module graph), forked by bench/serve-soak.mjs with
// --expose-gc, answering two IPC questions besides: {rss: true} → its RSS now, as it runs; {stats: true} → its
// heap after a full GC, CPU, and what one scrub of a 300-character log line costs now, outside any run and
// inside a run's scope.
import { inSecretScope, rememberSecret, scrubSecrets } from '../src/config/secret.ts';

const EVIDENCE = 'all five events arrived '.repeat(10);
const LINE = `{"severity":"INFO","message":"agent.run: pass in 97 ms","evidence":["${EVIDENCE}"]}`.slice(0, 300);
const SCRUBS = 50_000;

/**
 * CPU time (not wall time: the machine is shared) of one scrub, the median of seven batches of 50,000.
 */
function scrubMicros() {
  const batches = [];
  let out = 0;
  for (let b = 0; b < 7; b++) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < SCRUBS; i++) out += scrubSecrets(LINE).length;
    const { user, system } = process.cpuUsage(t0);
    batches.push((user + system) / SCRUBS);
  }
  return { us: batches.sort((x, y) => x - y)[3], out };
}

process.on('message', async (msg) => {
  if (msg?.rss) return void process.send({ rss: process.memoryUsage.rss() });
  if (!msg?.stats) return;
  globalThis.gc();
  const { heapUsed, rss } = process.memoryUsage();
  const cpu = process.cpuUsage();
  const outside = scrubMicros().us;
  // A run's scope holds its access and refresh token.
  const inside = inSecretScope(() => {
    rememberSecret(`eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzb2FrIn0.${'a'.repeat(43)}`);
    rememberSecret(`eyJhbGciOiJIUzI1NiJ9.eyJ0eXAiOiJyZWZyZXNoIn0.${'b'.repeat(43)}`);
    return scrubMicros().us;
  });
  process.send({ heapUsed, rss, cpuMicros: cpu.user + cpu.system, scrubOutsideUs: outside, scrubInRunUs: inside });
});

process.argv.splice(2, 0, 'serve');
await import('../src/cli/main.ts');
