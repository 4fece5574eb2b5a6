// Preloaded (--import) into a process the users bench measures: how long its event loop was blocked (p50,
// p99, max in ms, from perf_hooks). A loop blocked for seconds answers nothing for seconds, whatever the
// network does. At exit the figures go to the file named by LOOP_DELAY_FILE; a forked process (the double)
// answers {loopDelay: true} over IPC with the figures since the last ask, and starts over.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
const ms = (ns) => Math.round(ns / 1e6);
const figures = () => ({
  p50: ms(histogram.percentile(50)),
  p99: ms(histogram.percentile(99)),
  max: ms(histogram.max),
});

const file = process.env.LOOP_DELAY_FILE;
if (file) process.on('exit', () => writeFileSync(file, JSON.stringify(figures())));
process.on('message', (msg) => {
  if (!msg?.loopDelay) return;
  process.send({ loopDelay: figures() });
  histogram.reset();
});
