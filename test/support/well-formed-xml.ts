import assert from 'node:assert/strict';
import { SaxesParser } from 'saxes';

/** saxes checks XML 1.0 well-formedness, characters included (a raw or referenced ESC or NUL is an error). */
export function assertWellFormedXml(xml: string): void {
  const parser = new SaxesParser();
  let failure: Error | undefined;
  parser.on('error', (err) => (failure ??= err));
  parser.write(xml).close();
  assert.equal(failure, undefined, `not well-formed XML: ${failure?.message}`);
}
