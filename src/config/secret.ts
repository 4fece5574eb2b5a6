import { inspect } from 'node:util';

/**
 * A secret value that cannot leak by accident: JSON.stringify, util.inspect, template strings and
 * pino all see "[REDACTED]". Only `reveal()` gives the value, at the one place that puts it on the wire.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[REDACTED]';
  }

  toJSON(): string {
    return '[REDACTED]';
  }

  [inspect.custom](): string {
    return '[REDACTED]';
  }
}
