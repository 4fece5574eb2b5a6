// Every dependency with an install script is decided in package.json's allowScripts: npm 12 runs none that is not
// approved (the pinned Node 24 comes from `node`'s preinstall, so without its entry `npm start` has no Node 24),
// and npm 11 prints an advisory for each one not covered. A lock file that gains a package with an install
// script nobody decided on fails here, before a fresh machine finds out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRepoFile } from './deploy-files.ts';

interface Lock {
  packages: Record<string, { version?: string; hasInstallScript?: boolean }>;
}
interface Manifest {
  allowScripts?: Record<string, boolean>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** `node_modules/a/node_modules/@s/b` -> `@s/b`. */
const nameOf = (path: string) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
/** An allowScripts key is `name` or `name@version` (npm's pinned form; scoped names start with @). */
const keyName = (key: string) => key.replace(/(?<=.)@[^@]*$/, '');

/** What is wrong between the lock's install scripts and the decisions: one line each. */
function undecided(lock: Lock, manifest: Manifest): string[] {
  const decided = new Set(Object.keys(manifest.allowScripts ?? {}).map(keyName));
  const withScripts = Object.entries(lock.packages)
    .filter(([path, p]) => path !== '' && p.hasInstallScript)
    .map(([path, p]) => ({ name: nameOf(path), version: p.version ?? '?' }));
  const problems = withScripts
    .filter((p) => !decided.has(p.name))
    .map((p) => `${p.name}@${p.version} has an install script that allowScripts does not decide on`);
  for (const key of Object.keys(manifest.allowScripts ?? {}))
    if (!withScripts.some((p) => p.name === keyName(key)))
      problems.push(`allowScripts names ${key}, which has no install script in the lock any more`);
  return problems;
}

describe('install scripts (package.json allowScripts)', () => {
  const lock = JSON.parse(readRepoFile('package-lock.json')) as Lock;
  const manifest = JSON.parse(readRepoFile('package.json')) as Manifest;

  it('every package in the lock with an install script is approved or denied, and no entry is stale', () => {
    assert.deepEqual(undecided(lock, manifest), []);
  });

  it('approves only what the project needs: node (the pinned Node 24), and denies protobufjs', () => {
    assert.deepEqual(manifest.allowScripts, { node: true, protobufjs: false });
    // The approval is name-only because this lock file has no `resolved` URLs, from which npm derives a registry
    // package's version for a pinned `node@24.21.0` entry (such an entry matched nothing with npm 11.19.1). The
    // exact devDependency and the lock's integrity pin the one version whose preinstall was reviewed.
    assert.match(manifest.devDependencies?.node ?? '', /^\d+\.\d+\.\d+$/, 'node is pinned exactly');
    assert.equal(lock.packages['node_modules/node']?.version, manifest.devDependencies?.node);
  });

  it('fails when the lock gains a package with an undecided install script, or loses a decided one', () => {
    const grown: Lock = {
      packages: { ...lock.packages, 'node_modules/esbuild': { version: '0.30.0', hasInstallScript: true } },
    };
    assert.deepEqual(undecided(grown, manifest), [
      'esbuild@0.30.0 has an install script that allowScripts does not decide on',
    ]);
    const nested: Lock = {
      packages: {
        ...lock.packages,
        'node_modules/a/node_modules/@scope/b': { version: '1.0.0', hasInstallScript: true },
      },
    };
    assert.equal(undecided(nested, manifest).length, 1);
    assert.deepEqual(undecided(nested, { allowScripts: { ...manifest.allowScripts, '@scope/b': false } }), []);
    const shrunk: Lock = {
      packages: Object.fromEntries(Object.entries(lock.packages).filter(([p]) => !p.endsWith('/protobufjs'))),
    };
    assert.deepEqual(undecided(shrunk, manifest), [
      'allowScripts names protobufjs, which has no install script in the lock any more',
    ]);
  });
});
