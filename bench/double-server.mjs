// The staging double in its own process, for the benches: the measured process (probe or floor) then
// pays only for itself in wall time, RSS and CPU.
//
//   node bench/double-server.mjs            (Node 24: it imports the double's TypeScript sources)
//
// Started by bench/run.mjs with an IPC channel. It prints one JSON line on stdout,
// {authUrl, apiUrl, wsUrl, credentials, agentScriptMs}, and serves until killed (SIGTERM) or until its
// parent goes. agentScriptMs is the sum of the healthy agent script's gaps: the least time the server
// takes from start_agent to agent_completed (that hop is timers, not a request the recorder times).
// Over IPC, {take: true} answers {requests: [...]}: what the servers recorded since the last take
// (service, method, path, startedAt epoch ms, durationMs server-side, upgrade, status), and forgets them.
import { startDouble } from '../src/double/index.ts';
import { agentScript } from '../src/double/ws/agent-script.ts';

/** Fixed throw-away credentials: the bench gives the same ones to the probe and the floor. */
const BENCH_CREDENTIALS = {
  bypassKey: 'bench-bypass-key-0123456789abcdef',
  userEmail: 'golden-probe@staging.netrasystems.ai',
  userPassword: 'bench-password-0123456789abcdef',
  serviceSecret: 'bench-service-secret-0123456789abcdef',
  jwtSecret: 'bench-jwt-secret-0123456789abcdef0123456789abcdef0123456789abcdef',
};

const script = agentScript('normal', 0);
const agentScriptMs = 'steps' in script ? script.steps.reduce((sum, step) => sum + step.gapMs, 0) : null;

const double = await startDouble({ fault: 'healthy', credentials: BENCH_CREDENTIALS });
const stop = async () => {
  await double.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
process.on('message', (msg) => {
  if (msg?.take) process.send({ requests: double.requests.splice(0) });
});
process.stdout.write(
  `${JSON.stringify({ authUrl: double.authUrl, apiUrl: double.apiUrl, wsUrl: double.wsUrl, credentials: BENCH_CREDENTIALS, agentScriptMs })}\n`,
);
