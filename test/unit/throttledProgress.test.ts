import * as assert from 'node:assert/strict';
import { throttledProgress } from '../../src/ui/throttledProgress';

describe('A batch\'s progress', () => {
  it('tells the window at most every 250 ms, adding up the increments and keeping the last message', async () => {
    const told: { message?: string; increment?: number }[] = [];
    const progress = throttledProgress({ report: (step) => told.push(step) }, 250);
    for (let i = 1; i <= 10; i++) progress.report({ increment: 1, message: `${i} of 10` });
    assert.deepEqual(told, [{ increment: 1, message: '1 of 10' }]);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(told, [{ increment: 1, message: '1 of 10' }, { increment: 9, message: '10 of 10' }]);
    progress.report({ increment: 1, message: '11' });
    progress.report({ increment: 1, message: '12' });
    progress.flush();
    assert.deepEqual(told[2], { increment: 2, message: '12' }, 'what was left, at the end');
    assert.equal(told.length, 3);
    assert.equal(told.reduce((sum, s) => sum + (s.increment ?? 0), 0), 12, 'nothing is lost');
  });
});
