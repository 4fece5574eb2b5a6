// Loaded only through sdk-traces.ts (start-sdk.ts, import() from start-telemetry.ts).
// The spans' safety net: no span leaves the process (OTLP or console) with a value the process holds as a
// Secret (bypass key, password, service secret, the access token, in any of their wire forms) in its name,
// attributes, status message, events or links. Hops never set one on purpose, but attributes quote what
// servers said (a close reason, a user id, an error body), and a hostile server may echo the token back.
// A span that holds no secret is passed on as it is; one that does goes out as a scrubbed copy.
import type { Attributes, AttributeValue, Link, SpanStatus } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter, TimedEvent } from '@opentelemetry/sdk-trace';
import { holdsSecret, inScopeOfSpan, scrubSecrets } from '../../config/secret.ts';

export class ScrubbingSpanExporter implements SpanExporter {
  readonly #inner: SpanExporter;

  constructor(inner: SpanExporter) {
    this.#inner = inner;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    // Each span with the secrets of the run that started it: the batch may hold several runs' spans.
    this.#inner.export(
      spans.map((span) => inScopeOfSpan(span.spanContext(), () => scrubSpan(span))),
      resultCallback,
    );
  }

  async forceFlush(): Promise<void> {
    await this.#inner.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    await this.#inner.shutdown();
  }
}

/** The span itself when it holds no secret; else a copy whose own properties shadow the scrubbed ones. */
function scrubSpan(span: ReadableSpan): ReadableSpan {
  const name = scrubSecrets(span.name);
  const attributes = scrubAttributes(span.attributes);
  const status = scrubStatus(span.status);
  const events = scrubList(span.events, scrubEvent);
  const links = scrubList(span.links, scrubLink);
  if (
    name === span.name &&
    attributes === span.attributes &&
    status === span.status &&
    events === span.events &&
    links === span.links
  )
    return span;
  // The prototype keeps everything else, methods included: spanContext(), duration, ended, resource, …
  return Object.create(span, {
    name: { value: name, enumerable: true },
    attributes: { value: attributes, enumerable: true },
    status: { value: status, enumerable: true },
    events: { value: events, enumerable: true },
    links: { value: links, enumerable: true },
  }) as ReadableSpan;
}

export function scrubAttributes(attributes: Attributes): Attributes {
  let out: Attributes | undefined;
  for (const [key, value] of Object.entries(attributes)) {
    const scrubbed = scrubAttributeValue(value);
    if (scrubbed === value) continue;
    out ??= { ...attributes };
    out[key] = scrubbed;
  }
  return out ?? attributes;
}

function scrubAttributeValue(value: AttributeValue | undefined): AttributeValue | undefined {
  if (typeof value === 'string') return scrubSecrets(value);
  if (!Array.isArray(value) || !value.some((v) => typeof v === 'string' && holdsSecret(v))) return value;
  return (value as unknown[]).map((v) => (typeof v === 'string' ? scrubSecrets(v) : v)) as AttributeValue;
}

function scrubStatus(status: SpanStatus): SpanStatus {
  if (status.message === undefined) return status;
  const message = scrubSecrets(status.message);
  return message === status.message ? status : { ...status, message };
}

function scrubEvent(event: TimedEvent): TimedEvent {
  const name = scrubSecrets(event.name);
  const attributes = event.attributes && scrubAttributes(event.attributes);
  return name === event.name && attributes === event.attributes
    ? event
    : { ...event, name, ...(attributes ? { attributes } : {}) };
}

function scrubLink(link: Link): Link {
  const attributes = link.attributes && scrubAttributes(link.attributes);
  return attributes === link.attributes ? link : { ...link, ...(attributes ? { attributes } : {}) };
}

function scrubList<T>(items: T[], scrub: (item: T) => T): T[] {
  let out: T[] | undefined;
  items.forEach((item, i) => {
    const scrubbed = scrub(item);
    if (scrubbed === item) return;
    out ??= [...items];
    out[i] = scrubbed;
  });
  return out ?? items;
}
