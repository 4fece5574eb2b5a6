import type { HopContext, HopOutcome } from './hop-contract.ts';
import { checkAccessToken } from './token-claims.ts';

/** Hop 2: is the issued token one the auth service itself would accept? */
export async function token(ctx: HopContext): Promise<HopOutcome> {
  const check = checkAccessToken(ctx.state.accessToken!.reveal(), Math.floor(Date.now() / 1000));
  ctx.state.tokenSubject = check.subject;
  if (check.problems.length > 0) {
    return { status: 'fail', code: 'TOKEN_INVALID', evidence: [...check.problems, ...check.facts] };
  }
  return { status: 'pass', evidence: check.facts };
}
