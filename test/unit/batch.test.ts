import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { runBatch } from '../../src/jobs/batch';
import type { JobRunner } from '../../src/jobs/jobRunner';
import type { JobRecord } from '../../src/jobs/jobStore';

/** A runner whose jobs take a while, counting how many are in flight at once. */
function slowRunner(ms: number) {
  let inFlight = 0;
  const seen = { max: 0, started: 0 };
  const runner = {
    store: { find: () => undefined },
    enqueue: (source: vscode.Uri) => ({ id: String(source), source, state: 'queued' }) as unknown as JobRecord,
    run: async (job: JobRecord, _profile: unknown, signal: AbortSignal) => {
      if (signal.aborted) return Object.assign(job, { state: 'cancelled' });
      seen.started++;
      seen.max = Math.max(seen.max, ++inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return Object.assign(job, { state: 'done' });
    },
  };
  return { runner: runner as unknown as JobRunner, seen };
}

const sources = (n: number) => Array.from({ length: n }, (_, i) => `file:///img-${i}.png` as unknown as vscode.Uri);
const profile = { baseUrl: 'https://x', submitPath: '/', taskQueryPath: '/', auth: { header: 'a', value: 'b' } };

describe('runBatch', () => {
  it('keeps at most `concurrency` jobs in flight and runs them all', async () => {
    const { runner, seen } = slowRunner(30);
    const ended: string[] = [];
    const jobs = await runBatch(runner, sources(8), {}, profile, 3, new AbortController().signal, async (job) => void ended.push(job.id));
    assert.equal(seen.max, 3);
    assert.equal(seen.started, 8);
    assert.deepEqual(jobs.map((j) => j.state), Array(8).fill('done'));
    assert.equal(ended.length, 8, 'each job is handed over as it ends');
  });

  it('starts nothing more once the batch is cancelled', async () => {
    const { runner, seen } = slowRunner(40);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 10);
    const jobs = await runBatch(runner, sources(6), {}, profile, 2, abort.signal, async () => undefined);
    assert.equal(seen.started, 2);
    assert.deepEqual(jobs.map((j) => j.state), ['done', 'done', 'cancelled', 'cancelled', 'cancelled', 'cancelled']);
  });
});
