import type { Report } from './types.ts';

export const TRANSCRIPT_SCHEMA = 'golden-path-probe/transcript@1';

/** `--transcript PATH`: a header line (whose run, user and thread), then one line per frame. */
export function renderTranscriptJsonl(report: Report): string {
  const t = report.transcript;
  const header = {
    schema: TRANSCRIPT_SCHEMA,
    runId: report.runId,
    attempt: report.attempt,
    user: t?.user ?? null,
    thread: t?.thread ?? null,
    ...(t?.threadSource ? { threadSource: t.threadSource } : {}),
    frames: t?.frames.length ?? 0,
    omitted: t?.omitted ?? 0,
    ...(t ? {} : { note: 'no WebSocket was opened in this run' }),
  };
  return [header, ...(t?.frames ?? [])].map((line) => `${JSON.stringify(line)}\n`).join('');
}
