// The only module that reads argv and the environment, sets exit codes and starts the OTel SDK.
// Each command is imported when chosen, so a cron `run` never loads the double or serve mode.
import { EXIT } from './exit-codes.ts';
import { TOP_HELP } from './help.ts';
import { version } from './cli-support.ts';
import { ProcessLifecycle } from './process-lifecycle.ts';

const [command, ...rest] = process.argv.slice(2);
const life = new ProcessLifecycle();
switch (command) {
  case 'run':
    await life.run('run', async () => (await import('./run-command.ts')).runCommand(life, rest));
    break;
  case 'demo':
    await life.run('demo', async () => (await import('./demo-command.ts')).demoCommand(life, rest));
    break;
  case 'double':
    await life.run('double', async () => (await import('./double-command.ts')).doubleCommand(life, rest));
    break;
  case 'serve':
    await life.run('serve', async () => (await import('./serve-command.ts')).serveCommand(life, rest));
    break;
  case '--version':
  case '-v':
  case 'version':
    process.stdout.write(`golden-path-probe ${version()}\n`);
    break;
  case undefined:
  case '--help':
  case '-h':
  case 'help':
    process.stdout.write(TOP_HELP);
    break;
  default:
    process.stderr.write(`golden-probe: unknown command '${command}'\n\n${TOP_HELP}`);
    process.exitCode = EXIT.usage;
}
