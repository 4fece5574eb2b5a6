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
