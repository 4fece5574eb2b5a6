// THE table of forms in which a server may echo a secret back: every form the scrubber takes out is one
// row here, and test/unit/wire-forms.test.ts proves each row (the echo is scrubbed with the row, and shows
// without it). Three kinds of row:
// - `whole`: exact strings made from the whole value (hex, the stable cores of base64 at each offset…);
// - `char`: how one character may be written (percent escapes, HTML entities, JSON escapes). A value is
//   matched with every character in any of its forms, in any mix (a server escapes `&` but not `/`);
// - `wrapped`: base64 split across lines is joined before it is looked at.

export interface WholeForm {
  kind: 'whole';
  name: string;
  /** Exact strings to take out. */
  forms(value: string): string[];
  /** How a server would write the value in this form, in context (tests and the hostile echo server). */
  echo(value: string): string;
}

export interface CharForm {
  kind: 'char';
  name: string;
  /** A regular-expression source matching this form of `c` (one code point), or undefined when it has none. */
  pattern(c: string): string | undefined;
  /** The longest text this form writes for `c` (for the tail a cut must drop). */
  maxLength(c: string): number;
  echo(value: string): string;
}

export interface WrappedForm {
  kind: 'wrapped';
  name: string;
  echo(value: string): string;
}

export type WireForm = WholeForm | CharForm | WrappedForm;

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const hex2 = (n: number) => n.toString(16).padStart(2, '0');
/** A pattern for hex digits in either case: "2f" matches "2f" and "2F". */
const eitherCase = (hex: string) => [...hex].map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d)).join('');
const ALNUM = /^[A-Za-z0-9]$/;
/** The UTF-16 code units of `c` (two for a character past U+FFFF: JSON escapes each). */
const utf16 = (c: string) => Array.from({ length: c.length }, (_, i) => c.charCodeAt(i));

/** Text forms of a value that a request carries and a server may then encode whole (a JSON body, a form body). */
export function textForms(value: string): string[] {
  return [
    ...new Set([
      value,
      JSON.stringify(value).slice(1, -1),
      encodeURIComponent(value),
      new URLSearchParams({ v: value }).toString().slice(2),
    ]),
  ];
}

/**
 * The characters of base64 (or base64url) of `bytes` placed `offset` bytes into a longer text that depend on
 * `bytes` alone: the stable core, whatever comes before and after.
 */
export function base64Core(bytes: Buffer, offset: number, url: boolean): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString(url ? 'base64url' : 'base64');
  const start = Math.ceil((8 * offset) / 6);
  const end = Math.floor((8 * (offset + bytes.length)) / 6);
  return end > start ? encoded.slice(start, end) : '';
}

const base64At = (offset: number): WholeForm => ({
  kind: 'whole',
  name: `base64 at offset ${offset} (and base64url)`,
  forms: (value) =>
    textForms(value).flatMap((text) => {
      const bytes = utf8(text);
      const whole = offset === 0 ? [bytes.toString('base64'), bytes.toString('base64url')] : [];
      return [...whole, base64Core(bytes, offset, false), base64Core(bytes, offset, true)];
    }),
  // Inside the base64 of a request body: `offset` bytes (mod 3) before it, some after.
  echo: (value) => utf8(`${'{"a":"'.slice(0, 3 + offset)}${value}"}`).toString('base64'),
});

// HTML5's named references for ASCII punctuation (the ones a server's escaper may use).
const NAMED: Record<string, string[]> = {
  '&': ['amp', 'AMP'],
  '<': ['lt', 'LT'],
  '>': ['gt', 'GT'],
  '"': ['quot', 'QUOT'],
  "'": ['apos'],
  '/': ['sol'],
  '\\': ['bsol'],
  '=': ['equals'],
  '!': ['excl'],
  '#': ['num'],
  $: ['dollar'],
  '%': ['percnt'],
  '(': ['lpar'],
  ')': ['rpar'],
  '*': ['ast', 'midast'],
  '+': ['plus'],
  ',': ['comma'],
  '.': ['period'],
  ':': ['colon'],
  ';': ['semi'],
  '?': ['quest'],
  '@': ['commat'],
  '[': ['lsqb', 'lbrack'],
  ']': ['rsqb', 'rbrack'],
  '^': ['Hat'],
  _: ['lowbar', 'UnderBar'],
  '`': ['grave', 'DiacriticalGrave'],
  '{': ['lcub', 'lbrace'],
  '|': ['verbar', 'vert', 'VerticalLine'],
  '}': ['rcub', 'rbrace'],
  '~': ['tilde'],
  ' ': ['nbsp'],
  '\n': ['NewLine'],
  '\t': ['Tab'],
};

const JSON_SHORT: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const perChar = (value: string, f: (c: string) => string) => [...value].map(f).join('');

export const WIRE_FORMS: readonly WireForm[] = [
  { kind: 'whole', name: 'raw', forms: (v) => [v], echo: (v) => v },
  {
    kind: 'char',
    name: 'percent encoding (either case, form or URI component)',
    pattern: (c) => (ALNUM.test(c) ? undefined : [...utf8(c)].map((b) => `%${eitherCase(hex2(b))}`).join('')),
    maxLength: (c) => 3 * utf8(c).length,
    // Every byte but letters and digits, lowercase hex (what some encoders write).
    echo: (v) => perChar(v, (c) => (ALNUM.test(c) ? c : [...utf8(c)].map((b) => `%${hex2(b)}`).join(''))),
  },
  {
    kind: 'char',
    name: 'form encoding of a space (+)',
    pattern: (c) => (c === ' ' ? '\\+' : undefined),
    maxLength: () => 1,
    echo: (v) => v.replaceAll(' ', '+'),
  },
  {
    kind: 'char',
    name: 'HTML named entities',
    pattern: (c) => (NAMED[c] ? `&(?:${NAMED[c].join('|')});` : undefined),
    maxLength: (c) => Math.max(0, ...(NAMED[c] ?? []).map((n) => n.length + 2)),
    echo: (v) => perChar(v, (c) => (NAMED[c] ? `&${NAMED[c][0]};` : c)),
  },
  {
    kind: 'char',
    name: 'HTML decimal entities',
    pattern: (c) => (ALNUM.test(c) ? undefined : `&#0*${c.codePointAt(0)};`),
    maxLength: (c) => `&#0${c.codePointAt(0)};`.length,
    echo: (v) => perChar(v, (c) => (ALNUM.test(c) ? c : `&#${c.codePointAt(0)};`)),
  },
  {
    kind: 'char',
    name: 'HTML hexadecimal entities',
    pattern: (c) => (ALNUM.test(c) ? undefined : `&#[xX]0*${eitherCase(c.codePointAt(0)!.toString(16))};`),
    maxLength: (c) => `&#x00${c.codePointAt(0)!.toString(16)};`.length,
    echo: (v) => perChar(v, (c) => (ALNUM.test(c) ? c : `&#x${c.codePointAt(0)!.toString(16)};`)),
  },
  {
    kind: 'char',
    name: 'JSON short escapes (\\" \\\\ \\/ \\n …)',
    // Any run of backslashes: JSON inside a JSON string (an error frame quoting a request body) doubles them.
    pattern: (c) => (JSON_SHORT[c] ? `\\\\+${escapeRegExp(JSON_SHORT[c].slice(1))}` : undefined),
    maxLength: (c) => (JSON_SHORT[c] ? JSON_SHORT[c].length + 2 : 0),
    echo: (v) => perChar(v, (c) => JSON_SHORT[c] ?? c),
  },
  {
    kind: 'char',
    name: 'JSON \\uXXXX escapes (either case; every non-ASCII and escaped character)',
    pattern: (c) =>
      ALNUM.test(c)
        ? undefined
        : utf16(c)
            .map((unit) => `\\\\+u${eitherCase(unit.toString(16).padStart(4, '0'))}`)
            .join(''),
    maxLength: (c) => 8 * c.length,
    // Python's json.dumps(ensure_ascii=True), and then some: every character but letters and digits.
    echo: (v) =>
      perChar(v, (c) =>
        ALNUM.test(c)
          ? c
          : utf16(c)
              .map((u) => `\\u${u.toString(16).padStart(4, '0')}`)
              .join(''),
      ),
  },
  {
    kind: 'whole',
    name: 'hex (either case)',
    forms: (v) => textForms(v).flatMap((t) => [utf8(t).toString('hex'), utf8(t).toString('hex').toUpperCase()]),
    echo: (v) => `0x${utf8(v).toString('hex')}`,
  },
  base64At(0),
  base64At(1),
  base64At(2),
  {
    kind: 'wrapped',
    name: 'base64 wrapped across lines',
    // MIME's 76 columns, the secret across a line break.
    echo: (v) =>
      (
        utf8(`${'x'.repeat(50)}${v}`)
          .toString('base64')
          .match(/.{1,76}/g) ?? []
      ).join('\r\n'),
  },
  {
    kind: 'whole',
    name: "a JWT's signature alone",
    // It proves possession on its own; a JWT's header and payload are not secret.
    forms: (v) => {
      const parts = v.split('.');
      return parts.length === 3 && parts[2]!.length >= 16 ? [parts[2]!] : [];
    },
    echo: (v) => `sig=${v.split('.')[2] ?? v}`,
  },
];

/** Letters and digits are written as themselves in every `char` form: a value of only these needs no pattern. */
export const PLAIN_VALUE = /^[A-Za-z0-9]*$/;
