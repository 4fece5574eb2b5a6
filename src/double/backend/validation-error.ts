// FastAPI's 422 body under pydantic v2: `{"detail":[{type, loc, msg, input, ctx?}]}` (no `url`:
// FastAPI asks pydantic for errors without it).
import type { ServerResponse } from 'node:http';
import { sendJson } from '../http/send.ts';

export interface ValidationIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

export function sendValidationError(res: ServerResponse, issues: ValidationIssue[]): void {
  sendJson(res, 422, { detail: issues });
}

/** An integer query parameter with bounds, parsed in pydantic's lax mode for strings. */
export function intQuery(
  params: URLSearchParams,
  name: string,
  fallback: number,
  bounds: { ge?: number; le?: number },
): { value: number } | { issue: ValidationIssue } {
  // Starlette's QueryParams.get returns the last value of a repeated key.
  const raw = params.getAll(name).at(-1);
  if (raw === undefined) return { value: fallback };
  const loc = ['query', name];
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
    return {
      issue: {
        type: 'int_parsing',
        loc,
        msg: 'Input should be a valid integer, unable to parse string as an integer',
        input: raw,
      },
    };
  }
  const value = Number.parseInt(raw, 10);
  if (bounds.ge !== undefined && value < bounds.ge) {
    return {
      issue: {
        type: 'greater_than_equal',
        loc,
        msg: `Input should be greater than or equal to ${bounds.ge}`,
        input: raw,
        ctx: { ge: bounds.ge },
      },
    };
  }
  if (bounds.le !== undefined && value > bounds.le) {
    return {
      issue: {
        type: 'less_than_equal',
        loc,
        msg: `Input should be less than or equal to ${bounds.le}`,
        input: raw,
        ctx: { le: bounds.le },
      },
    };
  }
  return { value };
}

/**
 * The `limit`/`offset` query pair of the list routes: their values, or undefined after the 422 naming every bad one
 * has been sent.
 */
export function pageQuery(
  res: ServerResponse,
  params: URLSearchParams,
  limit: { fallback: number; ge?: number; le?: number },
): { limit: number; offset: number } | undefined {
  const { fallback, ...bounds } = limit;
  const l = intQuery(params, 'limit', fallback, bounds);
  const o = intQuery(params, 'offset', 0, { ge: 0 });
  if ('value' in l && 'value' in o) return { limit: l.value, offset: o.value };
  sendValidationError(
    res,
    [l, o].flatMap((q) => ('issue' in q ? [q.issue] : [])),
  );
  return undefined;
}

/** A pydantic model's body must be an object: the two issues FastAPI reports otherwise. */
export function objectBody(
  body: unknown,
): { ok: true; value: Record<string, unknown> } | { ok: false; issues: ValidationIssue[] } {
  if (body === undefined) {
    return { ok: false, issues: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      issues: [
        {
          type: 'model_attributes_type',
          loc: ['body'],
          msg: 'Input should be a valid dictionary or object to extract fields from',
          input: body,
        },
      ],
    };
  }
  return { ok: true, value: body as Record<string, unknown> };
}
