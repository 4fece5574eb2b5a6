// The four files a run can write besides its terminal output, in one directory, and the flags that ask for them:
// the leak tests read every one back as a channel a secret could reach.
import { join } from 'node:path';

export interface ReportFiles {
  json: string;
  junit: string;
  html: string;
  transcript: string;
}

/** Paths under `dir`, and the `run`/`serve` flags that write them. */
export function reportOutputs(dir: string): { files: ReportFiles; args: string[] } {
  const files: ReportFiles = {
    json: join(dir, 'report.json'),
    junit: join(dir, 'report.xml'),
    html: join(dir, 'report.html'),
    transcript: join(dir, 'transcript.jsonl'),
  };
  return {
    files,
    args: ['--json', files.json, '--junit', files.junit, '--html', files.html, '--transcript', files.transcript],
  };
}

/** JSON of what the OTLP receiver decoded (its timestamps are bigints). */
export const jsonWithBigints = (value: unknown) =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
