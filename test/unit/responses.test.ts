import * as assert from 'node:assert/strict';
import { parseAnswer } from '../../src/core/api/responses';

describe('parseAnswer: the three answer shapes', () => {
  it('reads Ideogram\'s synchronous list, with withheld images', () => {
    const a = parseAnswer({
      created: '2024-01-01',
      data: [
        { url: 'https://x/1.png', resolution: '1024x1024', upscaled_resolution: '2048x2048', is_image_safe: true, seed: 7 },
        { url: '', is_image_safe: false, seed: 8 },
      ],
    });
    assert.equal(a.kind, 'images');
    assert.ok(a.kind === 'images');
    assert.deepEqual(a.images.map((i) => [i.isImageSafe, i.seed, i.resolution]), [[true, 7, '2048x2048'], [false, 8, undefined]]);
  });

  it('reads a gateway-wrapped list in both forms', () => {
    const inner = { created: 'x', data: [{ url: 'https://x/1.png', is_image_safe: true }] };
    for (const body of [{ code: 0, message: 'ok', request_id: 'r1', data: inner }, { code: 0, request_id: 'r1', data: inner.data }]) {
      const a = parseAnswer(body);
      assert.ok(a.kind === 'images');
      assert.equal(a.images.length, 1);
      assert.equal(a.requestId, 'r1');
    }
  });

  it('reads a task envelope and a finished task with its images', () => {
    const submitted = parseAnswer({ code: 0, message: 'SUCCEED', request_id: 'r2', data: { task_id: 't1', task_status: 'submitted', created_at: 1 } });
    assert.deepEqual(submitted, { kind: 'task', taskId: 't1', status: 'submitted', message: undefined, images: [], requestId: 'r2' });
    const done = parseAnswer({ code: 0, data: { task_id: 't1', task_status: 'succeed', task_result: { images: [{ index: 0, url: 'https://x/a.png' }] } } });
    assert.ok(done.kind === 'task');
    assert.equal(done.status, 'succeed');
    assert.equal(done.images[0].url, 'https://x/a.png');
    assert.equal(done.images[0].isImageSafe, true);
  });

  it('reads a 200 with a non-zero code as an error', () => {
    assert.deepEqual(parseAnswer({ code: 1102, message: '余额不足 insufficient balance', request_id: 'r3' }), {
      kind: 'error',
      message: '余额不足 insufficient balance',
      code: 1102,
      requestId: 'r3',
    });
  });

  it('calls anything else unknown', () => {
    assert.equal(parseAnswer({ hello: 'world' }).kind, 'unknown');
    assert.equal(parseAnswer('text').kind, 'unknown');
    assert.equal(parseAnswer({ code: 0, data: { task_id: 't', task_status: 'weird' } }).kind, 'unknown');
  });
});
