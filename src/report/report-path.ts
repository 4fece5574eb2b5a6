import { accessSync, constants, mkdirSync, rmdirSync, type Stats, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Walks up from `dir` to the nearest path that exists. `missing` lists the directories to create, the
 * outermost first. Each report writer and the configuration check take this one walk.
 */
export function nearestExisting(dir: string): { path: string; stats: Stats | undefined; missing: string[] } {
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    try {
      return { path: d, stats: statSync(d), missing: missing.reverse() };
    } catch {
      if (dirname(d) === d) return { path: d, stats: undefined, missing: missing.reverse() };
      missing.push(d);
    }
  }
}

export type ReportPathProblem = { kind: 'directory' } | { kind: 'cannot'; why: string };

/**
 * Why a report could not be written at `path`, checked before the run so a finished run is never lost to
 * a bad path. The outermost missing directory is created and removed again to prove it can be: access()
 * says yes to root even where mkdir cannot (under /proc).
 */
export function reportPathProblem(path: string, show: (value: string) => string): ReportPathProblem | undefined {
  const full = resolve(path);
  try {
    if (statSync(full).isDirectory()) return { kind: 'directory' };
  } catch {
    // Does not exist yet: fine, as long as it can be created.
  }
  const { path: dir, stats, missing } = nearestExisting(dirname(full));
  if (!stats) return undefined;
  if (!stats.isDirectory()) return { kind: 'cannot', why: `${show(dir)} is a file, not a directory` };
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return { kind: 'cannot', why: `no write permission in ${show(dir)}` };
  }
  const outermost = missing[0];
  if (outermost === undefined) return undefined;
  try {
    mkdirSync(outermost);
  } catch (err) {
    return {
      kind: 'cannot',
      why: `cannot create the directory ${show(outermost)} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    };
  }
  try {
    rmdirSync(outermost);
  } catch {
    // Left behind, empty: the report would have created it anyway.
  }
  return undefined;
}
