import * as assert from 'node:assert/strict';
import { parseAnswer } from '../../src/core/api/responses';
import { defaultPollTuning, pollDelays, TaskTimings } from '../../src/core/api/pollSchedule';

/** The moments (ms after the task was announced) of the first `n` queries. */
function times(n: number, expectedMs?: number): number[] {
  const out: number[] = [];
  let at = 0;
  const delays = pollDelays(defaultPollTuning, expectedMs);
  for (let i = 0; i < n; i++) out.push((at += delays.next().value));
  return out;
}

/** The first query at or after `taskMs`, and how many queries it took. */
function seen(taskMs: number, expectedMs?: number): { at: number; queries: number } {
  const all = times(40, expectedMs);
  const i = all.findIndex((t) => t >= taskMs);
  return { at: all[i], queries: i + 1 };
}

describe('The poll schedule', () => {
  it('asks a second apart twice, then half a second later each time', () => {
    assert.deepEqual(times(7), [1000, 2000, 3500, 5500, 8000, 11000, 14500]);
  });

  it('sees a 10 s task with no history by 11 s, with 6 queries', () => {
    assert.deepEqual(seen(10_000), { at: 11_000, queries: 6 });
  });

  it('never waits longer than the longest gap', () => {
    const all = times(40);
    const gaps = all.map((t, i) => t - (all[i - 1] ?? 0));
    assert.equal(Math.max(...gaps), defaultPollTuning.maxMs);
  });

  it('aims the first query just after the expected end, then looks again soon', () => {
    assert.deepEqual(times(4, 1000), [1005, 1105, 1305, 2000]);
    assert.deepEqual(seen(10_000, 10_000), { at: 10_005, queries: 1 });
    // A task a little slower than expected costs one more query, not a long wait.
    assert.deepEqual(seen(10_900, 10_000), { at: 11_005, queries: 2 });
  });

  it('falls back to the growing gaps when the task runs far longer than expected', () => {
    const all = times(8, 1000);
    assert.ok(all.every((t, i) => i === 0 || t > all[i - 1]), `in order: ${all}`);
    assert.deepEqual(all.slice(3), [2000, 3500, 5500, 8000, 11000]);
  });
});

describe('Task timings', () => {
  it('expects the lower quartile of the last tasks of the same service', () => {
    const timings = new TaskTimings();
    assert.equal(timings.expected('https://a'), undefined);
    for (const ms of [1200, 900, 1000, 5000, 1100]) timings.record('https://a', ms);
    assert.equal(timings.expected('https://a'), 1000);
    assert.equal(timings.expected('https://b'), undefined);
  });

  it('keeps only the most recent tasks and ignores nonsense', () => {
    const timings = new TaskTimings(3);
    for (const ms of [100, 100, 100, 4000, 4000, 4000, -5, Number.NaN]) timings.record('s', ms);
    assert.equal(timings.expected('s'), 4000);
  });

  it('reads a finished task\'s duration from the service\'s timestamps, in ms or in seconds', () => {
    const task = (created: number, updated: number, status = 'succeed') => parseAnswer({ code: 0, data: { task_id: 't', task_status: status, created_at: created, updated_at: updated } });
    assert.equal((task(1733851336696, 1733851339196) as { tookMs?: number }).tookMs, 2500);
    assert.equal((task(1733851336, 1733851339) as { tookMs?: number }).tookMs, 3000);
    assert.equal((task(1733851336696, 1733851339196, 'processing') as { tookMs?: number }).tookMs, undefined);
    assert.equal((task(1733851336696, 1733851336696) as { tookMs?: number }).tookMs, undefined);
  });
});
