/**
 * The backend says it could not ask the auth service: REST's 503 "Authentication service temporarily
 * unavailable" (auth.py:296-299 at aebb16f77), a WebSocket error frame or close reason naming the auth service
 * unavailable, unreachable or its circuit breaker open. One predicate for both transports, so
 * BACKEND_AUTH_UNAVAILABLE means the same on each. A bare "Service Unavailable" (a load balancer's 503) is not it.
 */
export function saysAuthUnavailable(text: string): boolean {
  return /auth/i.test(text) && /unavailable|unreachable|circuit/i.test(text);
}
