// A route's JSON body as FastAPI reads it, before any dependency runs: empty is "no body", undecodable JSON is the
// 422 `json_invalid` (then undefined: the answer has been sent).
import type { RequestScope } from '../http/listener.ts';
import { parseJson, readBody } from '../http/read-body.ts';
import { sendValidationError } from './validation-error.ts';

export async function jsonBody(scope: RequestScope): Promise<{ body: unknown } | undefined> {
  const raw = await readBody(scope.req);
  if (raw.length === 0) return { body: undefined };
  const parsed = parseJson(raw);
  if (parsed.ok) return { body: parsed.value };
  sendValidationError(scope.res, [
    {
      type: 'json_invalid',
      loc: ['body', parsed.position],
      msg: 'JSON decode error',
      input: {},
      ctx: { error: 'Expecting value' },
    },
  ]);
  return undefined;
}
