import type { HopContext, HopOutcome } from './hop-contract.ts';

/**
 * Hop `config` (only with a GCP project): the deployed configuration of both services, read before the
 * golden path. A finding makes it `degraded` with the finding's code; Google not answering makes it
 * `skip` with the reason. It never fails the run: the golden path decides that.
 */
export async function configHop(ctx: HopContext): Promise<HopOutcome> {
  const settings = ctx.config.gcp;
  if (!settings) return { status: 'skip', evidence: [], skippedBecause: 'no GCP project configured (--gcp-project)' };
  // Imported here: a run without a GCP project never loads the pre-flight.
  const [{ tokenSource }, { runPreflight }] = await Promise.all([
    import('../gcp/access-token.ts'),
    import('../preflight/run-preflight.ts'),
  ]);
  ctx.state.gcpToken ??= tokenSource(settings);
  const result = await runPreflight({
    settings,
    http: ctx.http,
    authUrl: ctx.config.authUrl,
    signal: ctx.signal,
    token: ctx.state.gcpToken,
  });
  const findingLines = result.findings.flatMap((f) => [`${f.code}: ${f.fix}`, ...f.evidence.map((e) => `  ${e}`)]);
  const evidence = [...findingLines, ...result.trouble, ...result.read];
  if (result.findings.length > 0) {
    ctx.state.configFindings = result.findings;
    return { status: 'degraded', code: result.findings[0]!.code, evidence };
  }
  if (result.trouble.length > 0) {
    // Part of the deployment unread is no verdict on it: say what could not be read, claim nothing.
    return { status: 'skip', evidence, skippedBecause: `could not read the whole deployment: ${result.trouble[0]}` };
  }
  ctx.state.configFindings = [];
  if (result.read.length === 0)
    return { status: 'skip', evidence, skippedBecause: 'no revision of either service serves traffic' };
  return {
    status: 'pass',
    evidence: [
      `both services' configuration is consistent (${result.read.length} serving revisions read)`,
      ...evidence,
    ],
  };
}
