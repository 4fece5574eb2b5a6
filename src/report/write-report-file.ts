import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { nearestExisting } from './report-path.ts';

/**
 * A new file only: created exclusively (never an existing file, never through a symlink), so a local user who
 * can write the directory (a shared /tmp) cannot aim the write elsewhere by planting a link at the name.
 */
const EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Writes atomically (temp file + rename) so a reader never sees half a report. The temporary file has a
 * random name next to the report (`.report.json.<random>.tmp`, not guessable from the pid) and is opened
 * exclusively; rename replaces the report path itself, a link there included, and never writes through it.
 */
export async function writeReportFile(path: string, content: string): Promise<void> {
  await ensureDirectory(dirname(path));
  const tmp = temporaryPathFor(path);
  const file = await open(tmp, EXCLUSIVE, 0o644);
  try {
    await file.writeFile(content);
    await file.close();
    await rename(tmp, path);
  } catch (err) {
    await file.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** A fresh name beside `path` (same directory, so the rename stays on one file system). */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(12).toString('hex')}.tmp`);
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
