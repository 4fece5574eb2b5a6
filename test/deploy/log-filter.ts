// The part of Cloud Logging's query language the deployment's log-based metrics use, evaluated over a log
// entry as Cloud Run writes a JSON stdout line (jsonPayload = the line), so the metrics' filters and label
// extractors can be run over the probe's real lines. Each line of a filter is one term; terms are ANDed:
//   FIELD="v"   FIELD=("a" OR "b")   NOT FIELD="v"   FIELD:*   FIELD:"text"   FIELD>=N   severity>=ERROR
//   (TERM OR TERM ...)   -- a group of simple terms, any of which matches
export interface LogEntry {
  resource: { type: string; labels: Record<string, string> };
  severity: string;
  jsonPayload?: Record<string, unknown>;
  /** A line that is not JSON (Cloud Run's own messages, stderr text). */
  textPayload?: string;
  logName?: string;
}

const SIMPLE = String.raw`(?:NOT\s+)?[\w.]+(?:=\([^)]*\)|="(?:[^"\\]|\\.)*"|:"(?:[^"\\]|\\.)*"|:\*|>=[\w.-]+)`;
const TERM = new RegExp(String.raw`\(\s*${SIMPLE}(?:\s+OR\s+${SIMPLE})*\s*\)|${SIMPLE}`, 'g');
const SEVERITIES = ['DEFAULT', 'DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY'];

export function entryFromStdoutLine(line: string, resource: LogEntry['resource']): LogEntry {
  const jsonPayload = JSON.parse(line) as Record<string, unknown>;
  return { resource, severity: String(jsonPayload.severity ?? 'DEFAULT'), jsonPayload };
}

function field(entry: LogEntry, path: string): unknown {
  let node: unknown = entry;
  for (const part of path.split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Throws on a term it does not understand: a filter the test cannot read must not pass by accident. */
export function matches(filter: string, entry: LogEntry): boolean {
  const terms = [...filter.matchAll(TERM)].map((m) => m[0]);
  const rest = terms
    .reduce((text, term) => text.replace(term, ' '), filter)
    .replace(/\bAND\b/g, ' ')
    .trim();
  if (rest) throw new Error(`log filter text not understood: ${rest}`);
  return terms.every((term) => matchesTerm(term, entry));
}

function matchesTerm(term: string, entry: LogEntry): boolean {
  if (term.startsWith('(')) {
    const inner = [...term.slice(1, -1).matchAll(new RegExp(SIMPLE, 'g'))].map((m) => m[0]);
    return inner.some((t) => matchesTerm(t, entry));
  }
  if (term.startsWith('NOT ')) return !matchesTerm(term.slice(4).trim(), entry);
  let m = /^([\w.]+):\*$/.exec(term);
  if (m) return field(entry, m[1] as string) !== undefined;
  m = /^([\w.]+):("(?:[^"\\]|\\.)*")$/.exec(term);
  if (m) {
    const value = field(entry, m[1] as string);
    return typeof value === 'string' && value.includes(JSON.parse(m[2] as string) as string);
  }
  m = /^severity>=([A-Z]+)$/.exec(term);
  if (m) return SEVERITIES.indexOf(entry.severity) >= SEVERITIES.indexOf(m[1] as string);
  m = /^([\w.]+)>=(-?\d+(?:\.\d+)?)$/.exec(term);
  if (m) {
    const value = field(entry, m[1] as string);
    return typeof value === 'number' && value >= Number(m[2]);
  }
  m = /^([\w.]+)=\((.+)\)$/.exec(term);
  if (m) {
    const options = (m[2] as string).split(/\s+OR\s+/).map((o) => JSON.parse(o) as string);
    return options.includes(String(field(entry, m[1] as string)));
  }
  m = /^([\w.]+)=("(?:[^"\\]|\\.)*")$/.exec(term);
  if (m)
    return (
      field(entry, m[1] as string) !== undefined && String(field(entry, m[1] as string)) === JSON.parse(m[2] as string)
    );
  throw new Error(`log filter term not understood: ${term}`);
}

/** EXTRACT(FIELD): the field's value as a string, or undefined when the entry has no such field. */
export function extract(extractor: string, entry: LogEntry): string | undefined {
  const m = /^EXTRACT\(([\w.]+)\)$/.exec(extractor);
  if (!m) throw new Error(`extractor not understood: ${extractor}`);
  const value = field(entry, m[1] as string);
  return value === undefined || value === null ? undefined : String(value);
}
