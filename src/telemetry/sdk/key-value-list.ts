// `key=value,key=value` with percent-encoded values: the format of OTEL_RESOURCE_ATTRIBUTES and
// OTEL_EXPORTER_OTLP_HEADERS (W3C Baggage octets). Problems are collected, each naming the variable.

export interface KeyValueListOptions {
  /** Header values are credentials: problems name an entry by its key or position, never show a value. */
  secretValues: boolean;
  /** Extra check on a decoded key; returns what is wrong with it, or undefined. */
  checkKey?: (key: string) => string | undefined;
  /** Extra check on a decoded value; returns what is wrong with it, or undefined. */
  checkValue?: (value: string) => string | undefined;
}

export interface KeyValueList {
  values: Map<string, string>;
  problems: string[];
}

export function parseKeyValueList(variable: string, raw: string, opts: KeyValueListOptions): KeyValueList {
  const values = new Map<string, string>();
  const problems: string[] = [];
  const members = raw.split(',');
  members.forEach((member, index) => {
    if (member.trim() === '') return; // tolerated, like a trailing comma
    const where = members.length > 1 ? `entry ${index + 1}` : 'the value';
    const eq = member.indexOf('=');
    if (eq < 0) {
      problems.push(`${variable}: ${where} has no '=' (expected key=value,key=value${hint(opts)})`);
      return;
    }
    const key = decode(member.slice(0, eq).trim());
    const value = decode(member.slice(eq + 1).trim());
    if (key === undefined || key === '') {
      problems.push(`${variable}: ${where} has ${key === '' ? 'an empty key' : 'a key that is not valid percent-encoding'}`);
      return;
    }
    const badKey = opts.checkKey?.(key);
    if (badKey !== undefined) {
      // A malformed key may be a pasted secret: name the entry by position.
      problems.push(`${variable}: the key of ${where} ${badKey}`);
      return;
    }
    if (value === undefined) {
      problems.push(`${variable}: the value of '${key}' is not valid percent-encoding (write % as %25)`);
      return;
    }
    const badValue = opts.checkValue?.(value);
    if (badValue !== undefined) {
      problems.push(`${variable}: the value of '${key}' ${badValue}`);
      return;
    }
    values.set(key, value);
  });
  return { values, problems };
}

function hint(opts: KeyValueListOptions): string {
  return opts.secretValues ? '; values are not shown because they may be secrets' : '';
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
