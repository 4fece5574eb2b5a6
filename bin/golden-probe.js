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
await import('../src/cli/main.ts');
