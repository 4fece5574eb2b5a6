import assert from 'node:assert/strict';
import { lstat, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { temporaryPathFor, writeReportFile } from '../../src/report/write-report-file.ts';

describe('writeReportFile', () => {
  it('creates missing directories and writes the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'golden-probe-write-'));
    try {
      await writeReportFile(join(dir, 'a', 'b', 'report.json'), '{"ok":true}');
      assert.equal(await readFile(join(dir, 'a', 'b', 'report.json'), 'utf8'), '{"ok":true}');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails (does not hang) under /proc, where a recursive mkdir never returns', async () => {
    await assert.rejects(writeReportFile('/proc/golden-probe-nowhere/x/report.json', '{}'), { code: 'ENOENT' });
  });

  it('fails with ENOTDIR when a parent is a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'golden-probe-write-'));
    try {
      await writeFile(join(dir, 'file'), 'x');
      await assert.rejects(writeReportFile(join(dir, 'file', 'report.json'), '{}'), { code: 'ENOTDIR' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // Issue 21, item 6: a shared directory must not let a local user aim the write.
  it('never writes through a symlink planted at the old pid-named temp file or at the report path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'golden-probe-write-'));
    try {
      const victim = join(dir, 'victim');
      await writeFile(victim, 'untouched');
      const report = join(dir, 'report.json');
      await symlink(victim, `${report}.${process.pid}.tmp`);
      await symlink(victim, report);
      await writeReportFile(report, '{"ok":true}');
      assert.equal(await readFile(victim, 'utf8'), 'untouched', 'the link target is not written');
      assert.ok((await lstat(report)).isFile(), 'the report replaced the link, as a file of its own');
      assert.equal(await readFile(report, 'utf8'), '{"ok":true}');
      assert.equal(await readlink(`${report}.${process.pid}.tmp`), victim);
      assert.deepEqual(
        (await readdir(dir)).filter((f) => f.endsWith('.tmp') && f.startsWith('.')),
        [],
        'no temp left',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names temp files at random, beside the report; two writers at once never share one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'golden-probe-write-'));
    try {
      const report = join(dir, 'report.json');
      const names = new Set(Array.from({ length: 20 }, () => temporaryPathFor(report)));
      assert.equal(names.size, 20);
      for (const n of names) assert.match(n, /\/\.report\.json\.[0-9a-f]{24}\.tmp$/);
      // Two writers at once do not share a temp file: both finish, the report is whole.
      await Promise.all([writeReportFile(report, 'A'.repeat(100_000)), writeReportFile(report, 'B'.repeat(100_000))]);
      assert.match(await readFile(report, 'utf8'), /^(A{100000}|B{100000})$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
