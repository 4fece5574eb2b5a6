import { escapeControlChars } from '../text/control-chars.ts';
import { escapeMarkup as esc } from './escape.ts';
import { transcriptSection } from './html-transcript.ts';
import { hopDetail, resultShowsCode } from './human-summary.ts';
import type { HopReport, Report } from './types.ts';

const COLORS: Record<HopReport['status'], string> = {
  pass: '#2e7d32',
  degraded: '#ef8f00',
  fail: '#c62828',
  skip: '#9e9e9e',
};

/**
 * One self-contained HTML file (inline CSS, no script, no external asset, nothing fetched): the verdict,
 * a waterfall of the hops on one time axis with agent events as ticks, the evidence and the trace link.
 */
export function renderHtml(report: Report): string {
  const total = Math.max(1, ...report.hops.map((h) => h.startMs + h.durationMs), report.durationMs);
  const pct = (ms: number) => `${((ms / total) * 100).toFixed(2)}%`;
  const rows = report.hops
    .map((hop) => {
      const ticks = (hop.events ?? [])
        .map(
          (e) =>
            `<span class="tick" data-event="${esc(e.type)}" title="${esc(`${e.type} at ${e.atMs} ms`)}" style="left:${pct(hop.startMs + e.atMs)}"></span>`,
        )
        .join('');
      const width = hop.status === 'skip' ? '0.4%' : pct(Math.max(hop.durationMs, total / 400));
      return `<div class="row" data-hop="${esc(hop.name)}" data-status="${hop.status}">
  <div class="name">${esc(hop.name)}</div>
  <div class="lane"><span class="bar" style="left:${pct(hop.startMs)};width:${width};background:${COLORS[hop.status]}"></span>${ticks}</div>
  <div class="meta">${esc(hop.status)}${hop.status === 'skip' ? '' : ` · ${hop.durationMs} ms`}${hop.httpStatus ? ` · HTTP ${hop.httpStatus}` : ''}${hop.code ? ` <code class="hop-code">${esc(hop.code)}</code>` : ''}</div>
  <div class="detail">${esc(escapeControlChars(hopDetail(hop)))}</div>
</div>`;
    })
    .join('\n');
  const { verdict } = report;
  const evidence = verdict.evidence.map((e) => `<li>${esc(e)}</li>`).join('');
  const trace = report.traceId
    ? `<p class="trace">Trace <code>${esc(report.traceId)}</code>${report.traceUrl ? ` — <a id="trace-link" href="${esc(report.traceUrl)}">open the trace</a>` : ''}</p>`
    : '<p class="trace">No trace was recorded for this run.</p>';
  const color =
    report.result === 'fail'
      ? COLORS.fail
      : report.result === 'degraded'
        ? COLORS.degraded
        : report.result === 'aborted'
          ? COLORS.skip
          : COLORS.pass;

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>golden-path-probe: ${esc(report.result)}${resultShowsCode(report) ? ` ${esc(verdict.code)}` : ''}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:20px;margin:0 0 4px}
.verdict{border-left:6px solid ${color};padding:8px 12px;background:#fafafa;margin:12px 0}
.code{font-weight:700;color:${color}}
.row{display:grid;grid-template-columns:180px 1fr 300px;align-items:center;column-gap:8px;min-height:28px;margin-bottom:6px}
.lane{position:relative;height:16px;background:#f0f0f0;border-radius:3px}
.bar{position:absolute;top:0;height:16px;border-radius:3px;min-width:2px}
.tick{position:absolute;top:-4px;width:2px;height:24px;background:#1565c0}
.axis{display:flex;justify-content:space-between;margin-left:188px;margin-right:308px;color:#777;font-size:12px}
.meta{color:#555;font-size:12px;overflow-wrap:anywhere}
.hop-code{display:inline-block;max-width:100%;overflow-wrap:anywhere;font-size:11px}
.detail{grid-column:2 / -1;color:#444;font-size:12px;overflow-wrap:anywhere}
code{background:#f3f3f3;padding:1px 4px;border-radius:3px}
#transcript{border-collapse:collapse;font-size:12px;width:100%}
#transcript td,#transcript th{border-bottom:1px solid #eee;padding:2px 6px;text-align:left;vertical-align:top}
#transcript code{white-space:pre-wrap;word-break:break-all}
#transcript td:not(:last-child){white-space:nowrap}
</style></head>
<body>
<h1>golden-path-probe · ${esc(report.probe)}</h1>
<div class="sub">run <code>${esc(report.runId)}</code> · attempt ${report.attempt} · ${esc(report.startedAt)} · ${report.durationMs} ms</div>
<div class="verdict" id="verdict" data-result="${esc(report.result)}">
  <div><span class="code" id="verdict-code">${esc(report.result.toUpperCase())}${resultShowsCode(report) ? ` ${esc(verdict.code)}` : ''}</span>${verdict.hop ? ` at <b id="verdict-hop">${esc(verdict.hop)}</b>` : ''}</div>
  <div id="verdict-summary">${esc(verdict.summary)}</div>
</div>
<h2>Hops</h2>
<div class="axis"><span>0 ms</span><span>${Math.round(total / 2)} ms</span><span>${Math.round(total)} ms</span></div>
<div id="waterfall">
${rows}
</div>
${transcriptSection(report.transcript)}
<h2>Evidence</h2>
<ul id="evidence">${evidence || '<li>none: every hop passed</li>'}</ul>
${trace}
<p class="sub">target: api ${esc(report.target.api)} · auth ${esc(report.target.auth)} · ws ${esc(report.target.ws)}</p>
</body></html>
`;
}
