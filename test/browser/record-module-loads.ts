// Preloaded into the CLI by --import (NODE_OPTIONS) in playwright-loading.test.ts: records every module URL
// that gets resolved (static and dynamic imports, and require, through the synchronous module hooks)
// and writes them, one per line, to $RECORD_MODULE_LOADS_TO when the process exits.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const out = process.env.RECORD_MODULE_LOADS_TO;
const urls = new Set<string>();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    urls.add(result.url);
    return result;
  },
});
process.on('exit', () => {
  if (out) writeFileSync(out, [...urls].join('\n'));
});
