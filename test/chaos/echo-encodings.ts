// How a hostile server writes back a value it received: the test's own list, written independently of the
// probe's table (src/config/wire-forms.ts), so that a form missing from the probe's scrubber shows up as a leak
// here instead of going missing on both sides at once.

const alnum = (c: string) => /^[A-Za-z0-9]$/.test(c);
const each = (v: string, f: (c: string) => string) => Array.from(v, (c) => (alnum(c) ? c : f(c))).join('');
const bytes = (c: string) => [...Buffer.from(c, 'utf8')];
const units = (c: string) => Array.from({ length: c.length }, (_, i) => c.charCodeAt(i));
const hex4 = (n: number) => n.toString(16).padStart(4, '0');
const b64 = (text: string, url: boolean) => Buffer.from(text, 'utf8').toString(url ? 'base64url' : 'base64');

export interface Encoding {
  name: string;
  encode(value: string): string;
}

export const ECHO_ENCODINGS: readonly Encoding[] = [
  { name: 'raw', encode: (v) => v },
  { name: 'encodeURIComponent', encode: (v) => encodeURIComponent(v) },
  {
    name: 'percent, lowercase, every byte',
    encode: (v) =>
      each(v, (c) =>
        bytes(c)
          .map((b) => `%${b.toString(16).padStart(2, '0')}`)
          .join(''),
      ),
  },
  { name: 'form encoding', encode: (v) => new URLSearchParams({ v }).toString().slice(2) },
  {
    name: "Python's html.escape",
    encode: (v) =>
      v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' })[c]!),
  },
  { name: 'HTML decimal entities', encode: (v) => each(v, (c) => `&#${c.codePointAt(0)};`) },
  {
    name: 'HTML hex entities, uppercase',
    encode: (v) => each(v, (c) => `&#X${c.codePointAt(0)!.toString(16).toUpperCase()};`),
  },
  { name: 'JSON string', encode: (v) => JSON.stringify(v).slice(1, -1) },
  {
    name: 'JSON with ensure_ascii and \\/',
    encode: (v) =>
      JSON.stringify(v)
        .slice(1, -1)
        .replaceAll('/', '\\/')
        .replace(/[^\x20-\x7e]/g, (c) => `\\u${hex4(c.charCodeAt(0))}`),
  },
  {
    name: 'JSON \\uXXXX, uppercase, every character',
    encode: (v) =>
      each(v, (c) =>
        units(c)
          .map((u) => `\\u${hex4(u).toUpperCase()}`)
          .join(''),
      ),
  },
  { name: 'hex', encode: (v) => Buffer.from(v).toString('hex') },
  { name: 'HEX', encode: (v) => Buffer.from(v).toString('hex').toUpperCase() },
  // Inside the base64 of a JSON body, at each of the three byte offsets.
  ...[0, 1, 2].flatMap((offset) =>
    [false, true].map((url) => ({
      name: `${url ? 'base64url' : 'base64'} of a body, offset ${offset}`,
      encode: (v: string) => b64(`${'{"'.slice(0, offset)}${v}"}`, url),
    })),
  ),
  // A token's signature on its own (a server logging what it checked).
  { name: "a JWT's signature", encode: (v) => (v.split('.').length === 3 ? v.split('.')[2]! : v) },
  {
    name: 'base64 wrapped at 64 columns',
    encode: (v) => (b64(`${'x'.repeat(40)}${v}${'y'.repeat(40)}`, false).match(/.{1,64}/g) ?? []).join('\n'),
  },
];
