// Validation of MessageCreateRequest (messages.py): content 1-8000 chars, thread_id non-empty,
// message_type default "user", metadata an optional dict. Every problem is reported, as pydantic does.
import type { ValidationIssue } from './validation-error.ts';
import { objectBody } from './validation-error.ts';

export interface MessageCreateRequest {
  content: string;
  thread_id: string;
  message_type: string;
  metadata: Record<string, unknown> | null;
}

function isDict(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkString(
  body: Record<string, unknown>,
  field: string,
  limits: { min?: number; max?: number },
  issues: ValidationIssue[],
): string | undefined {
  const loc = ['body', field];
  if (!(field in body)) {
    issues.push({ type: 'missing', loc, msg: 'Field required', input: body });
    return undefined;
  }
  const v = body[field];
  if (typeof v !== 'string') {
    issues.push({ type: 'string_type', loc, msg: 'Input should be a valid string', input: v });
    return undefined;
  }
  const len = [...v].length;
  if (limits.min !== undefined && len < limits.min) {
    const unit = limits.min === 1 ? 'character' : 'characters';
    issues.push({
      type: 'string_too_short',
      loc,
      msg: `String should have at least ${limits.min} ${unit}`,
      input: v,
      ctx: { min_length: limits.min },
    });
    return undefined;
  }
  if (limits.max !== undefined && len > limits.max) {
    issues.push({
      type: 'string_too_long',
      loc,
      msg: `String should have at most ${limits.max} characters`,
      input: v,
      ctx: { max_length: limits.max },
    });
    return undefined;
  }
  return v;
}

export function parseMessageCreate(
  raw: unknown,
): { ok: true; value: MessageCreateRequest } | { ok: false; issues: ValidationIssue[] } {
  const object = objectBody(raw);
  if (!object.ok) return object;
  const body = object.value;
  const issues: ValidationIssue[] = [];
  const content = checkString(body, 'content', { min: 1, max: 8000 }, issues);
  const threadId = checkString(body, 'thread_id', { min: 1 }, issues);
  let messageType = 'user';
  if ('message_type' in body) messageType = checkString(body, 'message_type', {}, issues) ?? messageType;
  let metadata: Record<string, unknown> | null = null;
  if ('metadata' in body && body.metadata !== null) {
    const m = body.metadata;
    if (isDict(m)) metadata = m;
    else
      issues.push({
        type: 'dict_type',
        loc: ['body', 'metadata'],
        msg: 'Input should be a valid dictionary',
        input: m,
      });
  }
  if (issues.length > 0 || content === undefined || threadId === undefined) return { ok: false, issues };
  return { ok: true, value: { content, thread_id: threadId, message_type: messageType, metadata } };
}
