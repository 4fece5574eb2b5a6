#!/usr/bin/env node
// Runs the TypeScript sources directly (Node 24 type stripping): no build step.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `golden-probe needs Node.js 24 (found ${process.versions.node}). ` +
      'Run it through npm (npx golden-probe, npm start), which uses the pinned Node 24, or install Node 24.\n',
  );
  process.exit(2);
}
// Node compiles (and strips types from) every source file at each start, and a cron probe starts every
// minute: the on-disk compile cache (NODE_COMPILE_CACHE, else the OS temp dir) makes later starts cheaper.
// It is best-effort: an unwritable cache only loses the speed-up.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
await import('../src/cli/main.ts');
