import * as assert from 'node:assert/strict';
import { InFlightLimit } from '../../src/core/batch/inFlight';

const tick = () => new Promise((r) => setImmediate(r));

describe('the in-flight limit, counted in images', () => {
  it('grants room up to the limit and lets the next in as room frees', async () => {
    const limit = new InFlightLimit(() => 10);
    const releases = await Promise.all([limit.acquire(4), limit.acquire(4)]);
    let third = false;
    const pending = limit.acquire(4).then((r) => ((third = true), r));
    await tick();
    assert.equal(third, false, '4 + 4 + 4 > 10: the third waits');
    assert.equal(limit.inFlight, 8);
    releases[0]();
    releases[0](); // a second release of the same room changes nothing
    await pending;
    assert.equal(third, true);
    assert.equal(limit.inFlight, 8);
  });

  it('serves in order: a large request at the head is not overtaken', async () => {
    const limit = new InFlightLimit(() => 10);
    const first = await limit.acquire(8);
    const order: string[] = [];
    const big = limit.acquire(6).then((r) => (order.push('big'), r));
    const small = limit.acquire(1).then((r) => (order.push('small'), r));
    await tick();
    assert.deepEqual(order, [], 'the small one waits behind the big one');
    first();
    await Promise.all([big, small]);
    assert.deepEqual(order, ['big', 'small']);
  });

  it('lets a request larger than the window go alone', async () => {
    const limit = new InFlightLimit(() => 3);
    const release = await limit.acquire(8);
    assert.equal(limit.inFlight, 8);
    release();
    assert.equal(limit.inFlight, 0);
  });

  it('narrows the window after an inflight_limit refusal, for a while', async () => {
    let now = 1000;
    const limit = new InFlightLimit(() => 10, () => now);
    const held = await Promise.all(Array.from({ length: 6 }, () => limit.acquire(1)));
    limit.narrow(30_000);
    assert.equal(limit.window, 5, 'one less than were in flight');
    let next = false;
    void limit.acquire(1).then(() => (next = true));
    held[0]();
    await tick();
    assert.equal(next, false, '5 in flight fill the narrowed window');
    held[1]();
    await tick();
    assert.equal(next, true, '4 in flight leave room for one');
    now += 30_001;
    assert.equal(limit.window, 10, 'back to the limit afterwards');
  });

  it('a cancelled wait leaves the queue', async () => {
    const limit = new InFlightLimit(() => 1);
    const first = await limit.acquire(1);
    const abort = new AbortController();
    const waiting = limit.acquire(1, abort.signal);
    abort.abort(new Error('cancelled'));
    await assert.rejects(waiting, /cancelled/);
    first();
    assert.equal(limit.inFlight, 0);
  });
});
