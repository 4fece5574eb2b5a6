import { readFileSync } from 'node:fs';
import { EXIT } from './exit-codes.ts';
import { parseArgs, type FlagSpec } from './parse-args.ts';

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function parseOrThrow(argv: readonly string[], specs: readonly FlagSpec[]) {
  const parsed = parseArgs(argv, specs);
  if (parsed.positionals.length > 0) parsed.problems.push(`unexpected argument '${parsed.positionals[0]}'`);
  return parsed;
}

export function help(text: string): number {
  process.stdout.write(text);
  return EXIT.ok;
}
