// Why a browser login did not produce a token, as one of the two login verdicts. The message is a
// sentence for the report: it names pages by their safe URL (./safe-url.ts) and never carries a secret.
export type LoginFailureCode = 'LOGIN_REJECTED' | 'LOGIN_UNAVAILABLE';

export class LoginFailure extends Error {
  readonly code: LoginFailureCode;
  /** The HTTP status of the page that ended the flow, when a server answered with one. */
  readonly httpStatus: number | undefined;

  constructor(code: LoginFailureCode, message: string, options?: { httpStatus?: number | undefined; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LoginFailure';
    this.code = code;
    this.httpStatus = options?.httpStatus;
  }
}

/** Chromium's network error (`net::ERR_CONNECTION_REFUSED`) inside a Playwright error, if there is one. */
export function netErrorOf(err: unknown): string | undefined {
  const message = err instanceof Error ? err.message : String(err);
  return /net::ERR_[A-Z0-9_]+/.exec(message)?.[0];
}
