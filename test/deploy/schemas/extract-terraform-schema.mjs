// Builds the kept Terraform schema subset from @cdktf/provider-google's generated code (which cdktf generates
// from `terraform providers schema -json`): per resource type, its configurable attributes and nested blocks; per
// data source (named `data.TYPE` on the command line), its arguments and the tree of attributes it exports
// (`computed`: each name maps to its own nested attributes, {} for a plain value).
import { readFileSync, writeFileSync } from 'node:fs';

const root = process.argv[2];
const types = process.argv.slice(4);
const out = { provider: 'registry.terraform.io/hashicorp/google', resource_schemas: {}, data_source_schemas: {} };
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
const prov = readFileSync(`${root}/lib/provider/index.js`, 'utf8');
out.provider_version = /providerVersion: '([^']+)'/.exec(prov)[1];
out.source = `npm @cdktf/provider-google@${pkg.version}, generated from the provider's schema; see README.md`;
for (const type of types.filter((t) => !t.startsWith('data.'))) {
  const dir = type.replace(/^google_/, '').replaceAll('_', '-');
  const js = readFileSync(`${root}/lib/${dir}/index.js`, 'utf8');
  const fns = new Map();
  for (const m of js.matchAll(/function (\w+)ToHclTerraform\(struct\) \{([\s\S]*?)\n\}/g)) fns.set(m[1], m[2]);
  const top = /synthesizeHclAttributes\(\) \{([\s\S]*?)\n {4}\}/.exec(js)[1];
  const block = (body) => {
    const attrs = {};
    const blocks = {};
    for (const m of body.matchAll(
      /(\w+): \{\s*value: ([\s\S]*?),\s*isBlock: (true|false),\s*type: "(\w+)",\s*storageClassType: "(\w+)",\s*\}/g,
    )) {
      const [, name, value, isBlock, kind, storage] = m;
      const ref = [...value.matchAll(/(?<!cdktf\.)\b([a-z]\w+)ToHclTerraform/g)]
        .map((r) => r[1])
        .find((f) => fns.has(f));
      if (isBlock === 'true' && ref) blocks[name] = { nesting_mode: kind, block: block(fns.get(ref)) };
      else attrs[name] = { type: storage };
    }
    return { attributes: attrs, block_types: blocks };
  };
  out.resource_schemas[type] = { block: block(top) };
}
// A data source: its arguments are the top-level names synthesizeHclAttributes writes; what it exports is read from
// the generated output classes, whose getters carry "// NAME - computed: …" and whose nested values are built as
// `new <Class>List(this, "NAME", …)` or `new <Class>OutputReference(this, "NAME")`.
for (const type of types.filter((t) => t.startsWith('data.')).map((t) => t.slice('data.'.length))) {
  const dir = `data-${type.replaceAll('_', '-')}`; // e.g. lib/data-google-cloud-run-v2-service
  const js = readFileSync(`${root}/lib/${dir}/index.js`, 'utf8');
  const classes = new Map();
  for (const m of js.matchAll(/^class (\w+) extends [\w.]+ \{([\s\S]*?)^\}/gm)) classes.set(m[1], m[2]);
  const top = /synthesizeHclAttributes\(\) \{([\s\S]*?)\n {4}\}/.exec(js)[1];
  const args = {};
  for (const m of top.matchAll(/(\w+): \{\s*value: [\s\S]*?storageClassType: "(\w+)",\s*\}/g))
    args[m[1]] = { type: m[2] };
  const tree = (name, seen) => {
    const body = classes.get(name) ?? '';
    const node = {};
    for (const m of body.matchAll(
      /\/\/ (\w+) - computed: (?:true|false), optional: (?:true|false), required: (?:true|false)/g,
    )) {
      const attr = m[1];
      const nested = new RegExp(`new (\\w+)\\(this, "${attr}"`).exec(body)?.[1];
      const child = nested?.replace(/List$/, 'OutputReference');
      node[attr] = child && classes.has(child) && !seen.has(child) ? tree(child, new Set([...seen, child])) : {};
    }
    return node;
  };
  const className = type
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
  out.data_source_schemas[type] = {
    block: { attributes: args, block_types: {} },
    computed: tree(`Data${className}`, new Set()),
  };
}
writeFileSync(process.argv[3], `${JSON.stringify(out, null, 1)}\n`);
