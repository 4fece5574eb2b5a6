// flaky_first_login: the first logins answer 503, as a cold-starting instance does, then logins work.
import type { AuthSettings } from './auth-settings.ts';

export function takeLoginFailure(settings: AuthSettings): boolean {
  if (settings.loginFailuresLeft <= 0) return false;
  settings.loginFailuresLeft--;
  return true;
}
