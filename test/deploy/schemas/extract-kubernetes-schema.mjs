// Builds the kept, strict JSON schema of the Kubernetes kinds scheduling/kubernetes uses from the npm package
// @kubernetes/client-node, whose models are generated from the Kubernetes OpenAPI spec (attributeTypeMap: every
// field's JSON name and type; the .d.ts: which are required). Strict as kubeconform's -strict: an object
// accepts only the fields the API declares. Usage: node extract-kubernetes-schema.mjs MODELS_DIR OUT Kind...
import { readFileSync, writeFileSync } from 'node:fs';

const [modelsDir, outFile, ...roots] = process.argv.slice(2);
const defs = {};
const pending = [...roots];
const typeOf = (t) => {
  if (t === 'string' || t === 'Date') return { type: 'string' };
  if (t === 'number') return { type: 'number' };
  if (t === 'boolean') return { type: 'boolean' };
  if (t === 'any' || t === 'object') return {};
  if (t === 'IntOrString') return { type: ['string', 'integer'] };
  const array = /^Array<(.+)>$/.exec(t);
  if (array) return { type: 'array', items: typeOf(array[1]) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(t);
  if (map) return { type: 'object', additionalProperties: typeOf(map[1]) };
  if (/^[A-Z][A-Za-z]*V\d\w*$|^V\d\w*$/.test(t)) {
    pending.push(t);
    return { $ref: `#/definitions/${t}` };
  }
  throw new Error(`type ${t}`);
};
const version = /OpenAPI spec version: (\S+)/.exec(readFileSync(`${modelsDir}/V1CronJob.js`, 'utf8'))[1];
while (pending.length) {
  const name = pending.pop();
  if (defs[name]) continue;
  defs[name] = {};
  const js = readFileSync(`${modelsDir}/${name}.js`, 'utf8');
  const dts = readFileSync(`${modelsDir}/${name}.d.ts`, 'utf8');
  const attrs = JSON.parse(/attributeTypeMap = (\[[\s\S]*?\]);/.exec(js)[1]);
  const properties = {};
  for (const a of attrs)
    properties[a.baseName] = a.format === 'int32' || a.format === 'int64' ? { type: 'integer' } : typeOf(a.type);
  const required = attrs.filter((a) => new RegExp(`^\\s+'${a.name}': `, 'm').test(dts)).map((a) => a.baseName);
  defs[name] = { type: 'object', properties, additionalProperties: false, ...(required.length ? { required } : {}) };
}
const schema = {
  $comment: `Kubernetes ${version} API objects (${roots.join(', ')}), strict, from @kubernetes/client-node's generated models; see README.md`,
  definitions: defs,
};
writeFileSync(outFile, `${JSON.stringify(schema)}\n`);
