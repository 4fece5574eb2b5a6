// The slice of the Logging query language the fake understands: comparisons joined by AND, each
// `field="v"`, `field>="v"`, `field<="v"`, `field>=WORD` or `field=("a" OR "b")`. Anything else is refused
// with 400, as Google refuses a filter it cannot parse.

export interface FakeLogEntry {
  trace?: string;
  severity: string;
  timestamp: string;
  resource: { type: string; labels: Record<string, string> };
}

type Term = { field: string; op: '=' | '>=' | '<='; values: string[] };

const SEVERITY_RANK: Record<string, number> = {
  DEFAULT: 0,
  DEBUG: 100,
  INFO: 200,
  NOTICE: 300,
  WARNING: 400,
  ERROR: 500,
  CRITICAL: 600,
  ALERT: 700,
  EMERGENCY: 800,
};
const FIELDS = new Set(['trace', 'severity', 'timestamp', 'resource.type', 'resource.labels.service_name']);
const TERM = /^([a-z_.]+)\s*(>=|<=|=)\s*(.+)$/;

export function parseLogFilter(filter: string): Term[] | string {
  const terms: Term[] = [];
  for (const part of filter.split(/\s+AND\s+/)) {
    const m = TERM.exec(part.trim());
    if (!m) return `unparseable filter term ${JSON.stringify(part.trim().slice(0, 60))}`;
    const [, field, op, rawValue] = m;
    if (!FIELDS.has(field!)) return `unsupported field ${field}`;
    const raw = rawValue!.trim();
    let values: string[];
    if (raw.startsWith('(') && raw.endsWith(')'))
      values = raw
        .slice(1, -1)
        .split(/\s+OR\s+/)
        .map(unquote);
    else values = [unquote(raw)];
    terms.push({ field: field!, op: op as Term['op'], values });
  }
  return terms;
}

function unquote(s: string): string {
  const t = s.trim();
  return t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

function fieldOf(entry: FakeLogEntry, field: string): string {
  if (field === 'trace') return entry.trace ?? '';
  if (field === 'severity') return entry.severity;
  if (field === 'timestamp') return entry.timestamp;
  if (field === 'resource.type') return entry.resource.type;
  return entry.resource.labels.service_name ?? '';
}

function compare(field: string, actual: string, wanted: string): number {
  if (field === 'severity') return (SEVERITY_RANK[actual] ?? 0) - (SEVERITY_RANK[wanted] ?? 0);
  if (field === 'timestamp') return Date.parse(actual) - Date.parse(wanted);
  return actual === wanted ? 0 : actual < wanted ? -1 : 1;
}

export function matches(entry: FakeLogEntry, terms: readonly Term[]): boolean {
  return terms.every((t) => {
    const actual = fieldOf(entry, t.field);
    return t.values.some((v) => {
      const c = compare(t.field, actual, v);
      return t.op === '=' ? c === 0 : t.op === '>=' ? c >= 0 : c <= 0;
    });
  });
}
