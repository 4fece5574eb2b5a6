import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeReportFile } from '../../src/report/write-report-file.ts';

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
});
