import { escapeMarkup as esc } from './escape.ts';
import type { Transcript } from './types.ts';

const ARROWS = { sent: '→ sent', received: '← received', closed: '× closed' } as const;

/** The WebSocket transcript as a table: what the backend actually said, frame by frame. */
export function transcriptSection(transcript: Transcript | undefined): string {
  if (!transcript) return '';
  const rows = transcript.frames.map((f, i) => {
    const text = f.dir === 'closed' ? `${f.code ?? ''} ${JSON.stringify(f.frame)}${f.error ? ` (${f.error})` : ''}` : f.frame;
    return `<tr data-dir="${f.dir}"><td>${i + 1}</td><td>${ARROWS[f.dir]}</td><td>${f.atMs} ms</td><td>${f.bytes}</td>` +
      `<td>${esc(f.readAs)}</td><td><code>${esc(text)}</code>${f.cut ? ' <i>(cut)</i>' : ''}</td></tr>`;
  });
  const omitted = transcript.omitted
    ? `<p class="sub">${transcript.omitted} frames in the middle were left out to keep the report bounded.</p>`
    : '';
  return `<h2>WebSocket transcript (agent.run)</h2>
<p class="sub">thread <code>${esc(transcript.thread)}</code> · ms after the upgrade · secrets and tokens taken out</p>
<table id="transcript"><thead><tr><th>#</th><th>dir</th><th>at</th><th>bytes</th><th>read as</th><th>frame</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
${omitted}`;
}
