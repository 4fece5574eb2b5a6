// The Dockerfile, parsed with dockerfile-ast (no Docker engine needed): stages, user, entrypoint, and
// a .dockerignore that lets in exactly what the image copies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Copy, DockerfileParser, type Instruction, type JSONInstruction } from 'dockerfile-ast';
import { readRepoFile } from './deploy-files.ts';

interface Stage {
  name: string | null;
  base: string;
  instructions: Instruction[];
}

const dockerfile = DockerfileParser.parse(readRepoFile('Dockerfile'));
const stages: Stage[] = [];
for (const instruction of dockerfile.getInstructions()) {
  if (instruction.getKeyword() === 'FROM') {
    const from = dockerfile.getFROMs().find((f) => f.getRange().start.line === instruction.getRange().start.line);
    stages.push({ name: from?.getBuildStage() ?? null, base: from?.getImage() ?? '', instructions: [] });
  } else {
    stages.at(-1)?.instructions.push(instruction);
  }
}
const stage = (name: string): Stage => {
  const s = stages.find((st) => st.name === name);
  assert.ok(s, `a stage named ${name} (have ${stages.map((st) => st.name).join(', ')})`);
  return s;
};
const keyword = (s: Stage, k: string) => s.instructions.filter((i) => i.getKeyword() === k);
const json = (i: Instruction | undefined) =>
  (i as JSONInstruction | undefined)?.getJSONStrings().map((j) => j.getJSONValue());
const pkg = JSON.parse(readRepoFile('package.json')) as { devDependencies: Record<string, string> };

describe('Dockerfile', () => {
  it('has a deps stage that installs production dependencies only, from the lock file', () => {
    assert.ok(stages.length >= 2);
    const runs = keyword(stage('deps'), 'RUN').map((r) => r.getArgumentsContent() ?? '');
    assert.ok(
      runs.some((r) => /\bnpm ci\b/.test(r) && r.includes('--omit=dev')),
      runs.join('\n'),
    );
    const copies = keyword(stage('deps'), 'COPY').flatMap((c) => c.getArguments().map((a) => a.getValue()));
    assert.ok(copies.includes('package-lock.json'));
  });

  it('builds the runtime on the official node:24 bookworm-slim image, the Node the tests pin', () => {
    const runtime = stage('runtime');
    const initialArgs = new Map(
      dockerfile.getInitialARGs().map((a) => [a.getProperty()?.getName(), a.getProperty()?.getValue()]),
    );
    const image = runtime.base.replace(/\$\{(\w+)\}/g, (_, name: string) => initialArgs.get(name) ?? '');
    assert.equal(image, `node:${pkg.devDependencies.node}-bookworm-slim`);
    assert.match(image, /^node:24\./);
  });

  it('copies node_modules from deps plus package.json, bin, src and probes, and runs as a non-root user', () => {
    const runtime = stage('runtime');
    const copies = keyword(runtime, 'COPY') as Copy[];
    const fromDeps = copies.find((c) => c.getFromFlag()?.getValue() === 'deps');
    assert.ok(fromDeps?.getArgumentsContent()?.includes('node_modules'));
    const sources = copies
      .filter((c) => !c.getFromFlag())
      .flatMap((c) =>
        c
          .getArguments()
          .slice(0, -1)
          .map((a) => a.getValue()),
      );
    for (const needed of ['package.json', 'bin', 'src', 'probes'])
      assert.ok(sources.includes(needed), `COPY ${needed}`);
    const user = keyword(runtime, 'USER').at(-1)?.getArgumentsContent() ?? 'root';
    assert.doesNotMatch(user, /^(root|0)(:|$)/, `USER ${user}`);
    assert.deepEqual(json(keyword(runtime, 'ENTRYPOINT').at(-1)), ['node', '/app/bin/golden-probe.js']);
    assert.deepEqual(json(keyword(runtime, 'CMD').at(-1)), ['run']);
  });

  it('has a browser stage on top of the runtime with Debian chromium, installed lean, and drops root again', () => {
    const browser = stage('browser');
    assert.equal(browser.base, 'runtime');
    const install = keyword(browser, 'RUN')
      .map((r) => r.getArgumentsContent() ?? '')
      .join('\n');
    assert.match(install, /apt-get install -y --no-install-recommends chromium/);
    assert.match(install, /rm -rf \/var\/lib\/apt\/lists/);
    const env = keyword(browser, 'ENV').map((e) => e.getArgumentsContent());
    assert.ok(env.includes('PROBE_CHROMIUM_PATH=/usr/bin/chromium'), env.join(', '));
    const lastUser = keyword(browser, 'USER').at(-1)?.getArgumentsContent() ?? '';
    assert.doesNotMatch(lastUser, /^(root|0)(:|$)/, 'the browser image runs as the non-root user too');
  });

  it('builds the probe without a browser by default (the last stage)', () => {
    const last = stages.at(-1);
    assert.notEqual(last?.name, 'browser');
    assert.equal(last?.base, 'runtime');
  });
});

describe('.dockerignore', () => {
  it('is an allow-list that lets in exactly what the Dockerfile copies from the context', () => {
    const lines = readRepoFile('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    assert.equal(lines[0], '*');
    const allowed = lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, ''));
    const copied = new Set(
      stages
        .flatMap((s) => keyword(s, 'COPY') as Copy[])
        .filter((c) => !c.getFromFlag())
        .flatMap((c) =>
          c
            .getArguments()
            .slice(0, -1)
            .map((a) => a.getValue()),
        ),
    );
    assert.deepEqual([...copied].sort(), [...allowed].sort());
  });
});
