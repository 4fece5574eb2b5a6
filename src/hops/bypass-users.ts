/**
 * User ids the backend invents when it did not really check the token (docs/netra-protocol-notes.md §3): DEMO mode
 * (`demo-user-001`), RELAXED mode (`relaxed_NNNN`), the header/env E2E bypass (`staging-e2e-user-NNN`)
 * and mocks. The backend truncates ids to 8 characters + "...", so prefixes are matched.
 */
const BYPASS_PREFIXES = ['demo-use', 'relaxed_', 'staging-', 'mock_', 'mock-'];

export function isBypassUser(userId: string): boolean {
  const id = userId.toLowerCase();
  return BYPASS_PREFIXES.some((p) => id.startsWith(p));
}
