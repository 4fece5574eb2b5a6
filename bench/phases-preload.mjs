// Preloaded (--import) into the probe and into the floor by bench/run.mjs: where a process's time goes, on its own
// clock (ms since the process started, performance.timeOrigin): the last module loaded before its first request,
// its first and last request (undici's diagnostics channel, which global fetch shares, and node:http's, which
// ws's upgrade uses), and its exit. At exit the figures go to the file named by PHASES_FILE.
import diagnostics from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const file = process.env.PHASES_FILE;
let lastModule = 0;
let lastModuleName = '';
let firstRequest;
let lastRequest;
let modules = 0;
registerHooks({
  load(url, context, nextLoad) {
    const result = nextLoad(url, context);
    if (firstRequest === undefined) {
      lastModule = performance.now();
      lastModuleName = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/src\//, 'src/');
      modules++;
    }
    return result;
  },
});
const request = () => {
  const now = performance.now();
  firstRequest ??= now;
  lastRequest = now;
};
diagnostics.subscribe('undici:request:create', request);
diagnostics.subscribe('http.client.request.start', request);
const round = (ms) => (ms === undefined ? null : Math.round(ms * 10) / 10);
if (file) {
  process.on('exit', () => {
    writeFileSync(
      file,
      JSON.stringify({
        imports: round(lastModule),
        modules,
        lastModuleName,
        firstRequest: round(firstRequest),
        lastRequest: round(lastRequest),
        exit: round(performance.now()),
      }),
    );
  });
}
