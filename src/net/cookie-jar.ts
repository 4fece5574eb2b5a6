import { getSetCookies, Headers } from 'undici';
import { rememberSecret } from '../config/secret.ts';

interface Kept {
  value: string;
  path: string;
  secure: boolean;
  /** Epoch ms; undefined: a session cookie, kept for the run. */
  expiresAt: number | undefined;
}

/**
 * The cookies one run keeps, as a browser would for one site: only those the API host sets (the staging load
 * balancer pins a client to one backend instance with a generated cookie, session_affinity =
 * "GENERATED_COOKIE", terraform-gcp-staging/load-balancer.tf:86-158 at aebb16f77), sent back to that host
 * only (http(s) and ws(s) alike), on the path they were set for, never over plain http when `Secure`.
 * undici parses Set-Cookie (getSetCookies); it has no jar, and a run needs no more than this one host's.
 * Values are never logged: evidence names cookies, not their contents. A value kept is also a secret of the
 * run (a session cookie is a credential): a server that echoes the Cookie header back is scrubbed of it.
 */
export class CookieJar {
  readonly #host: string;
  readonly #cookies = new Map<string, Kept>();
  readonly #now: () => number;

  constructor(apiUrl: string, now: () => number = Date.now) {
    this.#host = new URL(apiUrl).host;
    this.#now = now;
  }

  /** Keeps the Set-Cookie headers of a response from `url`, if it is the API host. */
  take(url: URL, headers: Record<string, string | string[] | undefined>): void {
    if (url.host !== this.#host) return;
    const raw = headers['set-cookie'];
    if (raw === undefined) return;
    const h = new Headers();
    for (const line of Array.isArray(raw) ? raw : [raw]) h.append('set-cookie', line);
    for (const cookie of getSetCookies(h)) {
      const expires = cookie.expires === undefined ? undefined : new Date(cookie.expires).getTime();
      const expiresAt = cookie.maxAge !== undefined ? this.#now() + cookie.maxAge * 1000 : expires;
      if (expiresAt !== undefined && expiresAt <= this.#now()) {
        this.#cookies.delete(cookie.name);
        continue;
      }
      rememberSecret(cookie.value);
      this.#cookies.set(cookie.name, {
        value: cookie.value,
        path: cookie.path?.startsWith('/') ? cookie.path : '/',
        secure: cookie.secure === true,
        expiresAt,
      });
    }
  }

  /** The Cookie header for a request to `url`; undefined when none applies. */
  header(url: URL): string | undefined {
    if (url.host !== this.#host) return undefined;
    const secureChannel = url.protocol === 'https:' || url.protocol === 'wss:';
    const pairs: string[] = [];
    for (const [name, kept] of this.#cookies) {
      if (kept.expiresAt !== undefined && kept.expiresAt <= this.#now()) continue;
      if (kept.secure && !secureChannel) continue;
      if (!pathMatches(url.pathname, kept.path)) continue;
      pairs.push(`${name}=${kept.value}`);
    }
    return pairs.length ? pairs.join('; ') : undefined;
  }

  /** The names of the cookies held (for evidence: never the values). */
  names(): string[] {
    return [...this.#cookies.keys()];
  }
}

/** RFC 6265 5.1.4: the cookie's path is the request path or a directory prefix of it. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
