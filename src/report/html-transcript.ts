import { escapeMarkup as esc } from './escape.ts';
import type { Transcript } from './types.ts';

const HEADINGS = ['#', 'dir', 'at', 'bytes', 'read as', 'frame'];
const ARROWS = { sent: '→ sent', received: '← received', closed: '× closed' } as const;

/** The WebSocket transcript as a table: what the backend actually said, frame by frame. */
export function transcriptSection(transcript: Transcript | undefined): string {
  if (!transcript) return '';
  const rows = transcript.frames.map((f, i) => {
    const closing = `${f.code ?? ''} ${JSON.stringify(f.frame)}${f.error ? ` (${f.error})` : ''}`;
    const text = f.dir === 'closed' ? closing : f.frame;
    const cells = [String(i + 1), ARROWS[f.dir], `${f.atMs} ms`, String(f.bytes), esc(f.readAs)];
    const frame = `<code>${esc(text)}</code>${f.cut ? ' <i>(cut)</i>' : ''}`;
    return `<tr data-dir="${f.dir}">${cells.map((c) => `<td>${c}</td>`).join('')}<td>${frame}</td></tr>`;
  });
  const omitted = transcript.omitted
    ? `<p class="sub">${transcript.omitted} frames in the middle were left out to keep the report bounded.</p>`
    : '';
  return `<h2>WebSocket transcript (agent.run)</h2>
<p class="sub">${transcript.user === null ? '' : `user <code>${esc(JSON.stringify(transcript.user))}</code> (the token's sub, whole; the backend's connection_established names only its first 8 characters and "...") · `}thread <code>${esc(transcript.thread)}</code> · ms after the upgrade · secrets and tokens taken out</p>
<table id="transcript"><thead><tr>${HEADINGS.map((h) => `<th>${h}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
${omitted}`;
}
