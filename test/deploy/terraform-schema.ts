// Checks parsed Terraform against the provider's schema, kept in test/deploy/schemas/ (see its README): every
// resource and data source type must exist, every attribute and nested block name must be one the provider
// declares, and every attribute read from a data source (`data.T.N.a[0].b`, or through `for x in …` over it) must
// be one the data source exports.
import { readFileSync } from 'node:fs';
import type { Json, JsonObject, TerraformConfig } from './deploy-files.ts';

/** What a data source exports: each attribute name maps to its own nested attributes ({} for a plain value). */
interface ComputedTree {
  [name: string]: ComputedTree;
}

interface SchemaBlock {
  attributes: Record<string, unknown>;
  block_types: Record<string, { nesting_mode: string; block: SchemaBlock }>;
  computed?: ComputedTree;
}

interface ProviderSchema {
  resource_schemas: Record<string, { block: SchemaBlock }>;
  data_source_schemas?: Record<string, { block: SchemaBlock; computed: ComputedTree }>;
}

const SCHEMA_FILES = ['terraform-google.json'];
const META_ARGUMENTS = new Set([
  'count',
  'for_each',
  'depends_on',
  'lifecycle',
  'provider',
  'provisioner',
  'connection',
]);

export function loadProviderSchemas(): Map<string, SchemaBlock> {
  const all = new Map<string, SchemaBlock>();
  for (const file of SCHEMA_FILES) {
    const schema = JSON.parse(readFileSync(new URL(`./schemas/${file}`, import.meta.url), 'utf8')) as ProviderSchema;
    for (const [type, { block }] of Object.entries(schema.resource_schemas)) all.set(type, block);
    for (const [type, { block, computed }] of Object.entries(schema.data_source_schemas ?? {}))
      all.set(`data.${type}`, { ...block, computed });
  }
  return all;
}

/** Every unknown resource type, attribute or block, as "type.name: path: problem". */
export function schemaProblems(tf: TerraformConfig, schemas: Map<string, SchemaBlock>): string[] {
  const problems: string[] = [];
  for (const [type, byName] of Object.entries(tf.blocks.resource ?? {})) {
    const schema = schemas.get(type);
    for (const [name, bodies] of Object.entries(byName as JsonObject)) {
      const where = `${type}.${name}`;
      if (!schema) {
        problems.push(`${where}: no resource type ${type} in the provider schema`);
        continue;
      }
      for (const body of blocksOf(bodies)) checkBlock(body, schema, where, problems, true);
    }
  }
  for (const [type, byName] of Object.entries(tf.blocks.data ?? {})) {
    const schema = schemas.get(`data.${type}`);
    for (const [name, bodies] of Object.entries(byName as JsonObject)) {
      const where = `data.${type}.${name}`;
      if (!schema) {
        problems.push(`${where}: no data "${type}" source in the provider schema`);
        continue;
      }
      for (const body of blocksOf(bodies)) checkBlock(body, schema, where, problems, true);
    }
  }
  for (const text of strings(tf.blocks as Json)) problems.push(...dataReferenceProblems(text, schemas));
  return problems;
}

/** Every string in the parsed configuration: each is one expression (or plain text), with its own `for` names. */
function strings(node: Json): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node && typeof node === 'object') return Object.values(node).flatMap((v) => strings(v as Json));
  return [];
}

/**
 * Every attribute path read from a data source: `data.T.N.a[0].b` directly, or through `for x in <path>` bindings
 * (x then stands for one element of that path). Paths a for_each'd data source is read through start at an instance.
 */
function dataReferenceProblems(text: string, schemas: Map<string, SchemaBlock>): string[] {
  const problems: string[] = [];
  const bound = new Map<string, { type: string; path: string[] }>();
  const steps = (chain: string) => [...chain.matchAll(/\.(\w+)/g)].map((m) => m[1] as string);
  const check = (type: string, path: string[], where: string) => {
    let node = schemas.get(`data.${type}`)?.computed;
    if (!node) return; // an unknown data source type is reported by the block check
    for (const step of path) {
      node = node[step];
      if (!node) {
        problems.push(`${where}: data source ${type} exports no ${path.join('.')}`);
        return;
      }
    }
  };
  const expression = /\b(?:for (\w+) in )?(data\.(\w+)\.\w+|[a-z_]\w*)((?:\.\w+|\[\d+\])+)?/g;
  for (const m of text.matchAll(expression)) {
    const [, variable, head, dataType, chain = ''] = m;
    const root = dataType ? { type: dataType, path: [] as string[] } : bound.get(head as string);
    if (!root) continue;
    if (!dataType && !chain) continue;
    const path = [...root.path, ...steps(chain)];
    check(root.type, path, m[0]);
    if (variable) bound.set(variable, { type: root.type, path });
  }
  return problems;
}

function blocksOf(node: Json | undefined): JsonObject[] {
  const list = Array.isArray(node) ? node : [node];
  return list.filter((n): n is JsonObject => !!n && typeof n === 'object' && !Array.isArray(n));
}

function checkBlock(body: JsonObject, schema: SchemaBlock, path: string, problems: string[], topLevel: boolean): void {
  for (const [key, value] of Object.entries(body)) {
    if (topLevel && META_ARGUMENTS.has(key)) continue;
    if (key === 'dynamic') {
      for (const [blockName, generators] of Object.entries(value as JsonObject)) {
        const nested = schema.block_types[blockName];
        if (!nested) {
          problems.push(`${path}: dynamic "${blockName}" is not a block of this resource`);
          continue;
        }
        for (const generator of blocksOf(generators)) {
          for (const content of blocksOf(generator.content))
            checkBlock(content, nested.block, `${path}.${blockName}`, problems, false);
        }
      }
      continue;
    }
    if (key in schema.attributes) continue;
    const nested = schema.block_types[key];
    if (!nested) {
      problems.push(`${path}: unknown attribute or block "${key}"`);
      continue;
    }
    for (const inner of blocksOf(value)) checkBlock(inner, nested.block, `${path}.${key}`, problems, false);
  }
}
