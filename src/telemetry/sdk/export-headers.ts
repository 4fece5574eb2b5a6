// OTLP export headers (OTEL_EXPORTER_OTLP_HEADERS) usually carry credentials: they must not leak through
// JSON.stringify, util.inspect, template strings or a logger. Only entries() gives the values, for the exporter.

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export class ExportHeaders {
  readonly #values: ReadonlyMap<string, string>;

  constructor(values: ReadonlyMap<string, string> = new Map()) {
    this.#values = values;
  }

  get size(): number {
    return this.#values.size;
  }

  names(): string[] {
    return [...this.#values.keys()];
  }

  /** The values, for the exporter's request only. */
  entries(): Record<string, string> {
    return Object.fromEntries(this.#values);
  }

  toString(): string {
    return `ExportHeaders(${this.names().join(', ')})`;
  }

  toJSON(): Record<string, string> {
    return Object.fromEntries(this.names().map((name) => [name, '[REDACTED]']));
  }

  [INSPECT](): string {
    return this.toString();
  }
}
