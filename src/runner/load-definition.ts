import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HOP_NAMES } from '../domain/hops.ts';
import type { ProbeDefinition } from '../domain/probe-definition.ts';
import { nearest } from '../text/nearest.ts';
import { definitionContradictions } from './hop-limits.ts';

const PROBES_DIR = fileURLToPath(new URL('../../probes/', import.meta.url));

/** `--probe NAME` (a module under probes/) or `--probe PATH`; the module exports `probe`. */
export async function loadDefinition(nameOrPath: string): Promise<{ definition?: ProbeDefinition; problem?: string }> {
  const isName = /^[\w-]+$/.test(nameOrPath);
  const file = isName ? resolve(PROBES_DIR, `${nameOrPath}.ts`) : resolve(nameOrPath);
  if (!existsSync(file)) {
    const near = isName ? nearest(nameOrPath, knownProbes()) : undefined;
    const known = near
      ? `; did you mean ${near}?`
      : isName
        ? `; the probes are ${knownProbes().join(', ')}, or give a path to a .ts module`
        : '';
    return {
      problem: `--probe / PROBE_DEFINITION: no probe definition at ${file}${isName ? ' (names are files under probes/)' : ''}${known}`,
    };
  }
  let mod: { probe?: ProbeDefinition };
  try {
    mod = (await import(pathToFileURL(file).href)) as { probe?: ProbeDefinition };
  } catch (err) {
    // One line: a syntax error's message spans several.
    const message = err instanceof Error ? err.message : String(err);
    return { problem: `--probe / PROBE_DEFINITION: ${file} could not be loaded: ${message.replace(/\s*\n\s*/g, ' ')}` };
  }
  const definition = mod.probe;
  if (!definition || !Array.isArray(definition.hops) || definition.hops.length === 0) {
    return { problem: `--probe / PROBE_DEFINITION: ${file} does not export a probe definition named 'probe'` };
  }
  const unknown = definition.hops.filter((h) => !(HOP_NAMES as readonly string[]).includes(h));
  if (unknown.length > 0)
    return { problem: `--probe / PROBE_DEFINITION: ${file} names unknown hops: ${unknown.join(', ')}` };
  const contradictions = definitionContradictions(definition);
  if (contradictions.length > 0) {
    return { problem: `--probe / PROBE_DEFINITION: ${file}: ${contradictions.join('; ')}` };
  }
  return { definition };
}

/** The names `--probe NAME` accepts: the modules under probes/. */
function knownProbes(): string[] {
  try {
    return readdirSync(PROBES_DIR)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => f.slice(0, -'.ts'.length))
      .sort();
  } catch {
    return [];
  }
}
