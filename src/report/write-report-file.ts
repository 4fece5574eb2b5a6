import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { nearestExisting } from './report-path.ts';

/** Writes atomically (temp file + rename) so a reader never sees half a report. */
export async function writeReportFile(path: string, content: string): Promise<void> {
  await ensureDirectory(dirname(path));
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, content, { mode: 0o644 });
  await rename(tmp, path);
}

/**
 * mkdir -p, one level at a time: Node 24's `mkdir(…, { recursive: true })` never returns for a path under
 * /proc, and a report path must never hang the run after it has finished.
 */
async function ensureDirectory(dir: string): Promise<void> {
  const { path, stats, missing } = nearestExisting(dir);
  if (stats && !stats.isDirectory()) throw Object.assign(new Error(`${path} is not a directory`), { code: 'ENOTDIR' });
  for (const d of missing) {
    try {
      await mkdir(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
