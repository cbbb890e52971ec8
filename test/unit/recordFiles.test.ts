import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordFiles } from '../../src/jobs/recordFiles';

describe("a job's record on disk", () => {
  let root: string;
  const warnings: string[] = [];
  const files = () => new RecordFiles((line) => warnings.push(line));
  const onDisk = (dir: string) => JSON.parse(readFileSync(join(dir, 'job.json'), 'utf8')) as { state: string; step?: number };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'records-'));
    warnings.length = 0;
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes the changes of one moment once, as they are when the write begins', async () => {
    const records = files();
    const dir = join(root, 'j1');
    const job = { state: 'queued', step: 0 };
    let written = 0;
    const text = () => (written++, JSON.stringify(job));
    const saves = [records.create('j1', dir, text)];
    for (let step = 1; step <= 3; step++) {
      job.step = step;
      saves.push(records.save('j1', dir, text));
    }
    await Promise.all(saves);
    assert.equal(written, 1, 'one write for four changes');
    assert.deepEqual(onDisk(dir), { state: 'queued', step: 3 });
    assert.deepEqual(readdirSync(dir), ['job.json'], 'no temporary file left');
  });

  it('settles each save only once its change is on disk', async () => {
    const records = files();
    const dir = join(root, 'j2');
    const job = { state: 'queued' };
    await records.create('j2', dir, () => JSON.stringify(job));
    for (const state of ['uploading', 'waiting', 'downloading', 'done']) {
      job.state = state;
      await records.save('j2', dir, () => JSON.stringify(job));
      assert.equal(onDisk(dir).state, state);
    }
  });

  it('writes at once after what was asked before it, and what comes after lands after it', async () => {
    const records = files();
    const dir = join(root, 'j3');
    // The earlier write holds the older state: landing after the one written at once, it would undo it.
    void records.create('j3', dir, () => JSON.stringify({ state: 'queued' }));
    const job = { state: 'uploading' };
    const text = () => JSON.stringify(job);
    const now = records.now('j3', dir, text);
    await now;
    // On disk when it settles, though the earlier write went through the thread pool.
    assert.deepEqual(onDisk(dir), { state: 'uploading' });
    job.state = 'waiting';
    await records.save('j3', dir, text);
    assert.deepEqual(onDisk(dir), { state: 'waiting' });
    assert.deepEqual(warnings, []);
  });

  it('makes the folder again if it went, and says so when a record cannot be written', async () => {
    const records = files();
    const dir = join(root, 'j4');
    await records.save('j4', dir, () => '{"state":"done"}');
    assert.deepEqual(onDisk(dir), { state: 'done' });
    rmSync(dir, { recursive: true });
    await records.now('j4', dir, () => '{"state":"uploading"}');
    assert.deepEqual(onDisk(dir), { state: 'uploading' });
    // A file where the record's folder should be: the writes fail and are told, never thrown.
    const plain = join(root, 'plain');
    writeFileSync(plain, '');
    await records.save('j5', plain, () => '{}');
    await records.now('j6', plain, () => '{}');
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0], /could not record job j5/);
    assert.match(warnings[1], /could not record job j6/);
  });
});
