import type { ReceivedSpan } from '../support/otlp-receiver.ts';

/** Helpers to walk the spans of one trace as a tree. */
export class SpanTree {
  readonly spans: readonly ReceivedSpan[];
  constructor(spans: readonly ReceivedSpan[]) {
    this.spans = spans;
  }

  one(pred: (s: ReceivedSpan) => boolean, what: string): ReceivedSpan {
    const found = this.spans.filter(pred);
    if (found.length !== 1) throw new Error(`expected exactly one ${what}, found ${found.length}: ${this.describe()}`);
    return found[0]!;
  }

  named(name: string, service = 'golden-path-probe'): ReceivedSpan {
    return this.one((s) => s.name === name && s.serviceName === service, `${service} span '${name}'`);
  }

  children(parent: ReceivedSpan): ReceivedSpan[] {
    return this.spans.filter((s) => s.parentSpanId === parent.spanId);
  }

  child(parent: ReceivedSpan, pred: (s: ReceivedSpan) => boolean, what: string): ReceivedSpan {
    const found = this.children(parent).filter(pred);
    if (found.length !== 1)
      throw new Error(`expected one ${what} under ${parent.name}, found ${found.length}: ${this.describe()}`);
    return found[0]!;
  }

  describe(): string {
    return this.spans
      .map((s) => `${s.serviceName}:${s.kind}:${s.name}(${s.spanId.slice(0, 6)}<-${s.parentSpanId.slice(0, 6)})`)
      .join(', ');
  }
}
