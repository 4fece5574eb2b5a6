/** Shorter values would turn ordinary words into "[REDACTED]"; real secrets and tokens are far longer. */
const MIN_LENGTH = 4;

/**
 * Up to this many forms, one `includes` per form is the fastest test. Past it (one run of hundreds of users
 * remembers thousands) text is walked once, looking its 4-character windows up among the forms' heads, so a
 * scrub costs the same whatever the number of forms.
 */
const SCAN_LIMIT = 64;

/** Every wire form of a set of values (raw, URL-encoded, JSON-escaped, base64, base64url, a JWT's signature). */
export class SecretForms {
  readonly #all = new Set<string>();
  /** Longest first, so a token is replaced whole before its signature part; dropped past SCAN_LIMIT. */
  #longestFirst: string[] | undefined = [];
  /** Forms by their first MIN_LENGTH characters, each list longest first. */
  readonly #byHead = new Map<string, string[]>();

  get size(): number {
    return this.#all.size;
  }

  add(value: string): void {
    for (const form of wireForms(value)) {
      if (form.length < MIN_LENGTH || this.#all.has(form)) continue;
      this.#all.add(form);
      insertLongestFirst(this.#byHead.get(form.slice(0, MIN_LENGTH)) ?? this.#newHead(form), form);
      if (this.#longestFirst && this.#all.size > SCAN_LIMIT) this.#longestFirst = undefined;
      else if (this.#longestFirst) insertLongestFirst(this.#longestFirst, form);
    }
  }

  foundIn(text: string): boolean {
    if (this.#all.size === 0 || text.length < MIN_LENGTH) return false;
    if (this.#longestFirst) return this.#longestFirst.some((form) => text.includes(form));
    for (let i = 0; i + MIN_LENGTH <= text.length; i++) if (this.#formAt(text, i) !== undefined) return true;
    return false;
  }

  /** The text with every form replaced by `mark`; the same string when it holds none. */
  replaceIn(text: string, mark: string): string {
    if (!this.foundIn(text)) return text;
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
    const candidates = this.#byHead.get(text.slice(at, at + MIN_LENGTH));
    return candidates?.find((form) => text.startsWith(form, at));
  }

  #newHead(form: string): string[] {
    const list: string[] = [];
    this.#byHead.set(form.slice(0, MIN_LENGTH), list);
    return list;
  }
}

function wireForms(value: string): Set<string> {
  const bytes = Buffer.from(value);
  const jsonEscaped = JSON.stringify(value).slice(1, -1);
  const forms = new Set([value, encodeURIComponent(value), jsonEscaped, bytes.toString('base64url')]);
  forms.add(bytes.toString('base64'));
  // A JWT's signature alone proves possession; its header and payload are not secret.
  const parts = value.split('.');
  if (parts.length === 3 && parts[2]!.length >= 16) forms.add(parts[2]!);
  return forms;
}

function insertLongestFirst(list: string[], form: string): void {
  let at = list.findIndex((other) => other.length < form.length);
  if (at === -1) at = list.length;
  list.splice(at, 0, form);
}
