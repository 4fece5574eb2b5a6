// Route table with Starlette's answers for misses: 404 for an unknown path, 405 for a known path
// with the wrong method. GET routes also answer HEAD, as Starlette's `Route` does.

export interface Route<H> {
  method: string;
  /** Template such as `/api/chat/messages/{message_id}`. */
  route: string;
  handler: H;
}

export type Resolution<H> =
  | { kind: 'found'; route: string; handler: H; params: Record<string, string> }
  | { kind: 'method_not_allowed'; route: string }
  | { kind: 'not_found' };

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const t = template.split('/');
  const p = path.split('/');
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const seg = t[i] ?? '';
    const actual = p[i] ?? '';
    if (seg.startsWith('{') && seg.endsWith('}')) {
      if (actual === '') return undefined;
      params[seg.slice(1, -1)] = safeDecode(actual);
    } else if (seg !== actual) {
      return undefined;
    }
  }
  return params;
}

export function createRouter<H>(routes: readonly Route<H>[]): (method: string, path: string) => Resolution<H> {
  return (method, path) => {
    let pathKnown: string | undefined;
    for (const r of routes) {
      const params = matchTemplate(r.route, path);
      if (params === undefined) continue;
      if (r.method === method || (method === 'HEAD' && r.method === 'GET')) {
        return { kind: 'found', route: r.route, handler: r.handler, params };
      }
      pathKnown ??= r.route;
    }
    return pathKnown === undefined ? { kind: 'not_found' } : { kind: 'method_not_allowed', route: pathKnown };
  };
}
