import { PLAIN_VALUE, WIRE_FORMS, type WireForm } from './wire-forms.ts';

/** Shorter values would turn ordinary words into "[REDACTED]"; real secrets and tokens are far longer. */
const MIN_LENGTH = 4;

/**
 * Up to this many forms, one regular expression of them all (longest first) is the fastest test: V8 matches a
 * set of literals in one pass (0.05 µs for a 300-character line against the 41 forms of three secrets, where
 * 41 `includes` took 1.1 µs); a set that is not compiled (a run's) tests one `includes` per form up to
 * INCLUDES_LIMIT. Past either (one run of hundreds of users remembers thousands) text is walked once, looking
 * its 4-character windows up among the forms' heads, so a scrub costs the same whatever their number.
 */
const SCAN_LIMIT = 512;
const INCLUDES_LIMIT = 64;

/** A character written other than as itself needs one of these: the cheap test before the gate below. */
const ESCAPED = /[%&\\+]/;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * Every wire form (src/config/wire-forms.ts) of a set of values: the exact strings of the `whole` rows, and
 * for each value one pattern that matches it with every character in any of the `char` rows' forms.
 */
export class SecretForms {
  readonly #table: readonly WireForm[];
  readonly #all = new Set<string>();
  /** Longest first, so a token is replaced whole before its signature part; dropped past the limit. */
  #longestFirst: string[] | undefined = [];
  /** #longestFirst as one expression (built when first needed after a form was added). */
  #exact: RegExp | undefined;
  /** Forms by a number made of their first MIN_LENGTH characters (no string made per position), each list longest first. */
  readonly #byHead = new Map<number, string[]>();
  readonly #patterns = new Set<string>();
  /** All patterns in one expression (built when first needed after a value was added). */
  #combined: RegExp | undefined;
  /**
   * Every encoded form (no raw one) of every character the values' patterns encode: a text holding none of
   * them can only hold a value raw, which the exact forms find. Small, and rarely true of a log line, so the
   * values' own expressions are compiled and run only on text that holds an escape of one of their characters.
   */
  readonly #escapes = new Set<string>();
  #gate: RegExp | undefined;
  /** Whether the exact forms are matched by one compiled expression (else one `includes` each, up to INCLUDES_LIMIT). */
  readonly #compiled: boolean;
  #longest = 0;

  /**
   * `compiled`: for a set that lives long (the process's secrets). A run's set does not: V8 keeps the native code
   * of an expression for a while after it is gone, and a new one per run (its tokens differ) cost a serve
   * process about 55 MiB more RSS over 300 runs (test/soak/healthy-soak.test.ts).
   */
  constructor(table: readonly WireForm[] = WIRE_FORMS, { compiled = false }: { compiled?: boolean } = {}) {
    this.#table = table;
    this.#compiled = compiled;
  }

  get size(): number {
    return this.#all.size + this.#patterns.size;
  }

  /** The longest text any form of any value takes: a cut text must drop this much of its end. */
  get longest(): number {
    return this.#longest;
  }

  add(value: string): void {
    if (value.length < MIN_LENGTH) return;
    for (const row of this.#table) if (row.kind === 'whole') for (const form of row.forms(value)) this.#addExact(form);
    if (PLAIN_VALUE.test(value)) return;
    const rows = this.#table.filter((row) => row.kind === 'char');
    if (rows.length === 0) return;
    let source = '';
    let longest = 0;
    for (const c of value) {
      const alternatives = [escapeRegExp(c)];
      let max = c.length;
      for (const row of rows) {
        const p = row.pattern(c);
        if (p === undefined) continue;
        alternatives.push(p);
        if (!this.#escapes.has(p)) {
          this.#escapes.add(p);
          this.#gate = undefined;
        }
        max = Math.max(max, row.maxLength(c));
      }
      source += alternatives.length === 1 ? alternatives[0] : `(?:${alternatives.join('|')})`;
      longest += max;
    }
    this.#longest = Math.max(this.#longest, longest);
    if (this.#patterns.has(source)) return;
    this.#patterns.add(source);
    this.#combined = undefined;
  }

  foundIn(text: string): boolean {
    if (this.size === 0 || text.length < MIN_LENGTH) return false;
    return this.#exactIn(text) || (this.#pattern(text)?.test(text) ?? false);
  }

  /** The text with every form replaced by `mark`; the same string when it holds none. */
  replaceIn(text: string, mark: string): string {
    if (this.size === 0 || text.length < MIN_LENGTH) return text;
    // Whole values in any per-character form first: an exact form inside one (a token's signature after its
    // escaped dot) would otherwise be replaced alone and leave the rest unmatched.
    const pattern = this.#pattern(text);
    const out = pattern?.test(text) ? text.replace(new RegExp(pattern.source, 'g'), mark) : text;
    return this.#exactIn(out) ? this.#replaceExact(out, mark) : out;
  }

  #addExact(form: string): void {
    if (form.length < MIN_LENGTH || this.#all.has(form)) return;
    this.#all.add(form);
    this.#longest = Math.max(this.#longest, form.length);
    insertLongestFirst(this.#byHead.get(headOf(form, 0)) ?? this.#newHead(form), form);
    this.#exact = undefined;
    if (this.#longestFirst && this.#all.size > (this.#compiled ? SCAN_LIMIT : INCLUDES_LIMIT))
      this.#longestFirst = undefined;
    else if (this.#longestFirst) insertLongestFirst(this.#longestFirst, form);
  }

  #exactPattern(longestFirst: readonly string[]): RegExp {
    this.#exact ??= new RegExp(longestFirst.map(escapeRegExp).join('|'));
    return this.#exact;
  }

  /** The values' patterns, when the text holds an escape at all (else only raw forms can be in it). */
  #pattern(text: string): RegExp | undefined {
    if (this.#patterns.size === 0 || !ESCAPED.test(text)) return undefined;
    this.#gate ??= new RegExp([...this.#escapes].join('|'));
    if (!this.#gate.test(text)) return undefined;
    this.#combined ??= new RegExp([...this.#patterns].map((p) => `(?:${p})`).join('|'));
    return this.#combined;
  }

  #exactIn(text: string): boolean {
    if (this.#all.size === 0) return false;
    if (this.#longestFirst && this.#compiled) return this.#exactPattern(this.#longestFirst).test(text);
    if (this.#longestFirst) return this.#longestFirst.some((form) => text.includes(form));
    for (let i = 0; i + MIN_LENGTH <= text.length; i++) if (this.#formAt(text, i) !== undefined) return true;
    return false;
  }

  #replaceExact(text: string, mark: string): string {
    if (this.#longestFirst && this.#compiled)
      return text.replace(new RegExp(this.#exactPattern(this.#longestFirst).source, 'g'), mark);
    if (this.#longestFirst) {
      let out = text;
      for (const form of this.#longestFirst) if (out.includes(form)) out = out.replaceAll(form, mark);
      return out;
    }
    let out = '';
    let copiedTo = 0;
    for (let i = 0; i + MIN_LENGTH <= text.length; ) {
      const form = this.#formAt(text, i);
      if (form === undefined) {
        i++;
        continue;
      }
      out += text.slice(copiedTo, i) + mark;
      i += form.length;
      copiedTo = i;
    }
    return out + text.slice(copiedTo);
  }

  #formAt(text: string, at: number): string | undefined {
    const candidates = this.#byHead.get(headOf(text, at));
    return candidates?.find((form) => text.startsWith(form, at));
  }

  #newHead(form: string): string[] {
    const list: string[] = [];
    this.#byHead.set(headOf(form, 0), list);
    return list;
  }
}

/** The MIN_LENGTH (4) UTF-16 units at `at` as one number (another head may share it: candidates are checked). */
function headOf(text: string, at: number): number {
  const c = (k: number) => text.charCodeAt(at + k);
  return ((c(0) * 31 + c(1)) * 31 + c(2)) * 31 + c(3);
}

function insertLongestFirst(list: string[], form: string): void {
  let at = list.findIndex((other) => other.length < form.length);
  if (at === -1) at = list.length;
  list.splice(at, 0, form);
}
