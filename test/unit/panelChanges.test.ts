import * as assert from 'node:assert/strict';
import { applyChange, changeBetween, JobView, ToPanel } from '../../src/shared/protocol';

/** What the page receives: a message as JSON carries it across the bridge. */
function across<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const queued: JobView = { id: 'j1', fileName: 'logo.png', relativePath: 'assets/logo.png', state: 'queued', params: 'Resemblance 50 · Detail 50', batch: 'b1', startedAt: 1000, results: [] };
const uploading: JobView = { ...queued, state: 'uploading', startedAt: 2000, source: { src: 'jobs/j1/source.png', width: 128, height: 96, bytes: 4000 } };
const done: JobView = {
  ...uploading,
  state: 'done',
  requestId: 'req-1',
  endedAt: 5000,
  results: [{ id: 'r0', withheld: false, seed: 7, image: { src: 'jobs/j1/result-0.png', width: 256, height: 192, bytes: 16000 }, savedAs: [], replaced: false, canUndo: false, alphaRebuilt: false, alphaUnaligned: false, aspectMismatch: false }],
};

describe('what the results panel is told of a job that changed', () => {
  it('carries only the fields that changed, and the page ends with the job as it is', () => {
    const change = changeBetween(uploading, done);
    assert.deepEqual(Object.keys(change ?? {}).sort(), ['endedAt', 'id', 'requestId', 'results', 'state']);
    assert.deepEqual(applyChange(across(uploading), across(change!)), across(done));
  });

  it('names the fields that are gone, so the page drops them (a failure cleared by Run again)', () => {
    const failed: JobView = { ...done, state: 'failed', failure: 'The service refused the key.', results: [] };
    const again: JobView = { ...queued, startedAt: 9000 };
    const change = changeBetween(failed, again);
    assert.deepEqual(change?.unset?.sort(), ['endedAt', 'failure', 'requestId', 'source']);
    const seen = applyChange(across(failed), across(change!));
    assert.deepEqual(seen, across(again));
    assert.equal('failure' in seen, false);
  });

  it('says nothing when nothing the page shows differs', () => {
    assert.equal(changeBetween(done, { ...done, results: done.results.map((r) => ({ ...r })) }), undefined);
  });

  it('is much smaller than the job sent whole, as a phase change should be', () => {
    const phase: ToPanel = { type: 'changes', jobs: [changeBetween(uploading, { ...uploading, state: 'waiting' })!] };
    const whole: ToPanel = { type: 'changes', jobs: [{ ...uploading, state: 'waiting' }] };
    assert.ok(JSON.stringify(phase).length * 4 < JSON.stringify(whole).length, JSON.stringify(phase));
  });
});
