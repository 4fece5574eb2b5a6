import type { GcpSettings } from '../config/gcp-settings.ts';
import type { PreflightResult } from './run-preflight.ts';

/** The pre-flight for a person: what was read, then each finding's code and fix with its evidence. */
export function renderPreflight(settings: GcpSettings, result: PreflightResult): string {
  const lines = [
    `golden-path-probe · preflight · project ${settings.project} · ${settings.region} · backend ` +
      `${settings.backendService} · auth ${settings.authService}`,
    '',
    ...result.read.map((l) => `  ${l}`),
  ];
  for (const t of result.trouble) lines.push(`  ! ${t}`);
  lines.push('');
  if (result.findings.length === 0) {
    lines.push(
      result.trouble.length
        ? 'UNKNOWN  the deployment could not be read in full (see the lines marked !)'
        : 'OK  no problem found in the deployed configuration',
    );
  }
  for (const f of result.findings) {
    lines.push(`FINDING  ${f.code}`);
    lines.push(`  ${f.fix}`);
    for (const e of f.evidence) lines.push(`  - ${e}`);
  }
  return `${lines.join('\n')}\n`;
}
