import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { InFlightLimit } from '../../src/core/batch/inFlight';
import { runBatch } from '../../src/jobs/batch';
import type { JobRunner } from '../../src/jobs/jobRunner';
import type { JobRecord } from '../../src/jobs/jobStore';

/** A runner whose jobs take a while and take room from a limit as the real one does, counting what is in flight. */
function slowRunner(ms: number, limit: InFlightLimit, recordMs = 0) {
  let inFlight = 0;
  let recording = 0;
  const seen = { max: 0, started: [] as string[], queued: [] as string[], mostRecording: 0, queuedWhenFirstStarted: -1 };
  const runner = {
    store: { find: () => undefined },
    // A record written takes a while, as on disk.
    enqueue: async (source: vscode.Uri) => {
      seen.mostRecording = Math.max(seen.mostRecording, ++recording);
      await new Promise((r) => setTimeout(r, recordMs));
      recording--;
      seen.queued.push(String(source));
      return { id: String(source), source, state: 'queued' } as unknown as JobRecord;
    },
    run: async (job: JobRecord, _profile: unknown, signal: AbortSignal) => {
      if (seen.queuedWhenFirstStarted < 0) seen.queuedWhenFirstStarted = seen.queued.length;
      let release: () => void;
      try {
        release = await limit.acquire(1, signal);
      } catch {
        return Object.assign(job, { state: 'cancelled' });
      }
      seen.started.push(job.id);
      seen.max = Math.max(seen.max, ++inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      release();
      return Object.assign(job, { state: 'done' });
    },
  };
  return { runner: runner as unknown as JobRunner, seen };
}

const sources = (n: number) => Array.from({ length: n }, (_, i) => `file:///img-${i}.png` as unknown as vscode.Uri);
const items = (n: number) => sources(n).map((source) => ({ source, params: {} }));
const profile = { service: 'gateway' as const, baseUrl: 'https://x', submitPath: '/', taskQueryPath: '/', auth: { header: 'a', value: 'b' } };

describe('runBatch', () => {
  it('queues every job; the limit keeps at most its window in flight, in order', async () => {
    const { runner, seen } = slowRunner(30, new InFlightLimit(() => 3));
    const ended: string[] = [];
    const jobs = await runBatch(runner, items(8), profile, new AbortController().signal, async (job) => void ended.push(job.id));
    assert.equal(seen.max, 3);
    assert.deepEqual(seen.started, sources(8).map(String), 'started in the order given');
    assert.deepEqual(jobs.map((j) => j.state), Array(8).fill('done'));
    assert.equal(ended.length, 8, 'each job is handed over as it ends');
  });

  it('starts the first jobs while the records of the others are still being written, a few at a time', async () => {
    const { runner, seen } = slowRunner(5, new InFlightLimit(() => 3), 5);
    const jobs = await runBatch(runner, items(40), profile, new AbortController().signal, async () => undefined);
    assert.deepEqual(jobs.map((j) => j.state), Array(40).fill('done'));
    assert.ok(seen.queuedWhenFirstStarted < 20, `the first job started once ${seen.queuedWhenFirstStarted} of 40 were queued`);
    assert.ok(seen.mostRecording <= 8, `${seen.mostRecording} records were written at once`);
    assert.deepEqual(seen.started, sources(40).map(String), 'started in the order given');
  });

  it('starts nothing more once the batch is cancelled', async () => {
    const { runner, seen } = slowRunner(40, new InFlightLimit(() => 2));
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 10);
    const jobs = await runBatch(runner, items(6), profile, abort.signal, async () => undefined);
    assert.equal(seen.started.length, 2);
    assert.deepEqual(jobs.map((j) => j.state), ['done', 'done', 'cancelled', 'cancelled', 'cancelled', 'cancelled']);
  });
});
