// Timestamps in the shapes the Python services produce, so a probe parsing them meets the real formats.

/** `time.time()`: unix seconds as a float. */
export function unixSeconds(now: number = Date.now()): number {
  return now / 1000;
}

function microFraction(d: Date): string {
  return `${String(d.getUTCMilliseconds()).padStart(3, '0')}000`;
}

/** `datetime.now(UTC).isoformat()`: `2025-09-18T12:00:00.123000+00:00`. */
export function pythonIsoUtc(now: number = Date.now()): string {
  const d = new Date(now);
  return `${d.toISOString().slice(0, 19)}.${microFraction(d)}+00:00`;
}

/** A UTC datetime serialised by pydantic v2: `2025-09-18T12:00:00.123000Z`. */
export function pydanticUtc(now: number = Date.now()): string {
  const d = new Date(now);
  return `${d.toISOString().slice(0, 19)}.${microFraction(d)}Z`;
}

/** A naive datetime from whole epoch seconds (the auth service's `expires_at`): `2025-09-18T12:30:00`. */
export function naiveIsoFromEpochSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19);
}
