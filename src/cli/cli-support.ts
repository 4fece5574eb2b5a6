import { readFileSync } from 'node:fs';
import { type FlagSpec, showValue } from '../config/flag-values.ts';
import { EXIT } from './exit-codes.ts';
import { type ParseOptions, parseArgs } from './parse-args.ts';

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Parses a command's flags; its problems (and any stray argument) are for the command's UsageError. */
export function parseOrThrow(argv: readonly string[], specs: readonly FlagSpec[], opts: ParseOptions = {}) {
  const parsed = parseArgs(argv, specs, opts);
  for (const arg of parsed.positionals) parsed.problems.push(unexpectedArgument(arg));
  return parsed;
}

function unexpectedArgument(arg: string): string {
  // NAME=value after the command: an environment variable put in the wrong place. Its value may be a
  // secret, so only the name is shown.
  const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(arg);
  if (assignment) {
    const name = assignment[1]!;
    return (
      `unexpected argument ${name}=…: environment variables go before the command (${name}=… golden-probe …), or in ` +
      `the job's environment; the value was not used`
    );
  }
  return (
    `unexpected argument ${showValue(arg)}: commands take only --flags (is it the value of a flag that needs none, ` +
    `or of a misspelt one?)`
  );
}

export function help(text: string): number {
  process.stdout.write(text);
  return EXIT.ok;
}
