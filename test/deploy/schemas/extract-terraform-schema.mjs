// Builds the kept Terraform schema subset from @cdktf/provider-google's generated code (which cdktf generates
// from `terraform providers schema -json`): per resource type, its configurable attributes and nested blocks.
import { readFileSync, writeFileSync } from 'node:fs';

const root = process.argv[2];
const types = process.argv.slice(4);
const out = { provider: 'registry.terraform.io/hashicorp/google', resource_schemas: {} };
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
const prov = readFileSync(`${root}/lib/provider/index.js`, 'utf8');
out.provider_version = /providerVersion: '([^']+)'/.exec(prov)[1];
out.source = `npm @cdktf/provider-google@${pkg.version}, generated from the provider's schema; see README.md`;
for (const type of types) {
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
writeFileSync(process.argv[3], `${JSON.stringify(out, null, 1)}\n`);
