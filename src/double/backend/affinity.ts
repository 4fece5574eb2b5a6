// The staging load balancer in front of the backend's instances: `session_affinity = "GENERATED_COOKIE"`,
// `affinity_cookie_ttl_sec` 86400 (terraform-gcp-staging/load-balancer.tf:86-88, staging.tfvars:34 at aebb16f77).
// A global external Application Load Balancer names its generated cookie GCLB. A request carrying a GCLB value
// this front issued goes to that instance; any other request goes to the next instance in turn and its answer
// sets a new GCLB. The value is opaque (random, looked up here), so a client can only echo it.
// Without affinity (no_affinity_cookie) no cookie is set or read: requests alternate instances.
import { randomBytes } from 'node:crypto';

export const AFFINITY_COOKIE = 'GCLB';
const TTL_SECONDS = 86_400;
/** Cookies remembered; the oldest is forgotten past this (a forgotten cookie is re-placed, as an expired one is). */
const MAX_ISSUED = 10_000;

export interface Placement {
  instance: number;
  /** A Set-Cookie value to send with the answer, when the front pinned the client now. */
  setCookie: string | undefined;
}

export interface Affinity {
  place(cookieHeader: string | string[] | undefined, pinning: boolean): Placement;
}

/** The GCLB values in a Cookie header (RFC 6265 `name=value; name=value`); several headers are joined. */
function cookieValues(header: string | string[] | undefined, name: string): string[] {
  const text = Array.isArray(header) ? header.join('; ') : (header ?? '');
  const values: string[] = [];
  for (const pair of text.split(';')) {
    const eq = pair.indexOf('=');
    if (eq !== -1 && pair.slice(0, eq).trim() === name) values.push(pair.slice(eq + 1).trim());
  }
  return values;
}

export function createAffinity(instances: number): Affinity {
  const issued = new Map<string, number>();
  let next = 0;
  const turn = () => {
    const instance = next;
    next = (next + 1) % instances;
    return instance;
  };
  return {
    place(cookieHeader, pinning) {
      if (!pinning) return { instance: turn(), setCookie: undefined };
      for (const value of cookieValues(cookieHeader, AFFINITY_COOKIE)) {
        const pinned = issued.get(value);
        if (pinned !== undefined) return { instance: pinned, setCookie: undefined };
      }
      const instance = turn();
      const value = randomBytes(12).toString('base64url');
      issued.set(value, instance);
      if (issued.size > MAX_ISSUED) issued.delete(issued.keys().next().value as string);
      const expires = new Date(Date.now() + TTL_SECONDS * 1000).toUTCString();
      return { instance, setCookie: `${AFFINITY_COOKIE}=${value}; path=/; HttpOnly; expires=${expires}` };
    },
  };
}
