/**
 * The backend switches its auth off for any request header whose name contains "test" or "e2e"
 * (docs/netra-protocol-notes.md §3). A probe that sent one would prove nothing, so requests to the backend are
 * checked here and such a header is a bug in the probe, never sent.
 */
export function assertNoBypassHeaders(headers: Readonly<Record<string, string>>): void {
  for (const name of Object.keys(headers)) {
    if (/test|e2e/i.test(name)) {
      throw new Error(`refusing to send header '${name}' to the backend: it would switch on the backend's auth bypass`);
    }
  }
}
