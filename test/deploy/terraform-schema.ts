// Checks parsed Terraform against the provider's schema, kept in test/deploy/schemas/ (see its README): every
// resource type must exist, and every attribute and nested block name must be one the provider declares.
import { readFileSync } from 'node:fs';
import type { Json, JsonObject, TerraformConfig } from './deploy-files.ts';

interface SchemaBlock {
  attributes: Record<string, unknown>;
  block_types: Record<string, { nesting_mode: string; block: SchemaBlock }>;
}

interface ProviderSchema {
  resource_schemas: Record<string, { block: SchemaBlock }>;
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
