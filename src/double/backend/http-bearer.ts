// FastAPI's HTTPBearer(auto_error=True) before 0.122: a missing or malformed header is 403
// "Not authenticated", another scheme is 403 "Invalid authentication credentials".

export type BearerResult = { ok: true; token: string } | { ok: false; status: 403; detail: string };

export function httpBearer(header: string | undefined): BearerResult {
  // get_authorization_scheme_param: partition on the first space, no stripping of the credentials.
  const value = header ?? '';
  const space = value.indexOf(' ');
  const scheme = space === -1 ? value : value.slice(0, space);
  const credentials = space === -1 ? '' : value.slice(space + 1);
  if (value === '' || scheme === '' || credentials === '')
    return { ok: false, status: 403, detail: 'Not authenticated' };
  if (scheme.toLowerCase() !== 'bearer')
    return { ok: false, status: 403, detail: 'Invalid authentication credentials' };
  return { ok: true, token: credentials };
}
