// The only module that reads argv and the environment, sets exit codes and starts the OTel SDK.
// Each command is imported when chosen, so a cron `run` never loads the double or serve mode.

import { escapeControlChars } from '../text/control-chars.ts';
import { nearest } from '../text/nearest.ts';
import { version } from './cli-support.ts';
import { EXIT } from './exit-codes.ts';
import { TOP_HELP } from './help.ts';
import { ProcessLifecycle } from './process-lifecycle.ts';

type Command = (life: ProcessLifecycle, argv: readonly string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./run-command.ts')).runCommand,
  demo: async () => (await import('./demo-command.ts')).demoCommand,
  double: async () => (await import('./double-command.ts')).doubleCommand,
  serve: async () => (await import('./serve-command.ts')).serveCommand,
  replay: async () => (await import('./replay-command.ts')).replayCommand,
  preflight: async () => (await import('./preflight-command.ts')).preflightCommand,
};

const [command, ...rest] = process.argv.slice(2);
const load = command !== undefined && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
if (load) {
  const stopping: Record<string, string> = {
    double: 'the double',
    serve: 'serve (no new runs; the one in flight is stopped)',
    preflight: 'the pre-flight',
  };
  const life = new ProcessLifecycle(process.stderr, stopping[command!] ?? 'the run');
  await life.run(command!, async () => (await load())(life, rest));
} else if (command === '--version' || command === '-v' || command === 'version') {
  process.stdout.write(`golden-path-probe ${version()}\n`);
} else if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(TOP_HELP);
} else {
  const near = nearest(command, [...Object.keys(COMMANDS), 'help', 'version']);
  const shown = escapeControlChars(command.slice(0, 60));
  process.stderr.write(
    near
      ? `golden-probe: unknown command '${shown}'; did you mean '${near}'? (golden-probe --help lists them)\n`
      : `golden-probe: unknown command '${shown}'\n\n${TOP_HELP}`,
  );
  process.exitCode = EXIT.usage;
}
