import * as assert from 'node:assert/strict';
import { megabytes, planClear, planPrune, StoredJobFacts } from '../../src/core/files/retention';

const day = 24 * 3600_000;
const MB = 1024 * 1024;
const now = 1000 * day;

function job(id: string, daysAgo: number | undefined, mb: number, extra: Partial<StoredJobFacts> = {}): StoredJobFacts {
  return { id, endedAt: daysAgo === undefined ? undefined : now - daysAgo * day, bytes: mb * MB, neededByUndo: false, unsavedResults: 0, ...extra };
}

describe('what the storage lets go of', () => {
  it('removes what is older than the days, oldest first, and keeps the rest', () => {
    const plan = planPrune([job('new', 1, 1), job('old', 40, 1), job('older', 90, 1)], { maxAgeMs: 30 * day, maxBytes: 0 }, now);
    assert.deepEqual(plan.remove, ['older', 'old']);
  });

  it('removes the oldest until the size is under the limit, and no more', () => {
    const plan = planPrune([job('a', 3, 400), job('b', 2, 400), job('c', 1, 400)], { maxAgeMs: 0, maxBytes: 1024 * MB }, now);
    assert.deepEqual(plan.remove, ['a']);
    assert.equal(plan.countedBefore, 1200 * MB);
    assert.equal(plan.countedAfter, 800 * MB);
  });

  it('never removes what an undo needs, nor counts it against the limit', () => {
    const plan = planPrune([job('backup', 90, 2000, { neededByUndo: true }), job('small', 80, 1)], { maxAgeMs: 30 * day, maxBytes: 1024 * MB }, now);
    assert.deepEqual(plan.remove, ['small']);
    assert.equal(plan.countedBefore, 1 * MB);
    const sizeOnly = planPrune([job('backup', 90, 2000, { neededByUndo: true }), job('small', 80, 1)], { maxAgeMs: 0, maxBytes: 1024 * MB }, now);
    assert.deepEqual(sizeOnly.remove, [], 'a backup of 2 GB does not push the 1 MB result out');
  });

  it('holds results never saved for the user to decide, and keeps running jobs', () => {
    const plan = planPrune([job('unsaved', 60, 1, { unsavedResults: 2 }), job('saved', 50, 1), job('running', undefined, 1)], { maxAgeMs: 30 * day, maxBytes: 0 }, now);
    assert.deepEqual(plan.remove, ['saved']);
    assert.deepEqual(plan.heldUnsaved, ['unsaved']);
  });

  it('with both limits off, keeps everything', () => {
    assert.deepEqual(planPrune([job('a', 9000, 99999)], { maxAgeMs: 0, maxBytes: 0 }, now).remove, []);
  });

  it('sorts jobs for Clear Results: safe, unsaved (with their results), kept for undo, running', () => {
    const plan = planClear([job('s', 1, 1), job('u', 1, 2, { unsavedResults: 3 }), job('b', 1, 5, { neededByUndo: true }), job('r', undefined, 1)]);
    assert.deepEqual(plan.safe, { ids: ['s'], bytes: 1 * MB });
    assert.deepEqual(plan.unsaved, { ids: ['u'], bytes: 2 * MB, results: 3 });
    assert.equal(plan.keptForUndo, 1);
    assert.equal(plan.running, 1);
  });

  it('says megabytes as a person reads them', () => {
    assert.equal(megabytes(0), '0.0');
    assert.equal(megabytes(5000), '0.1');
    assert.equal(megabytes(2.26 * MB), '2.3');
    assert.equal(megabytes(1536 * MB), '1536');
  });
});
