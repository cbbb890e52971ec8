import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { UpscaleClient } from '../../src/core/api/client';
import { describeFailure, UpscaleError } from '../../src/core/api/errors';
import { checkedBaseUrl, gatewayProfile, ideogramProfile } from '../../src/core/api/services';
import { fileToUpload } from '../../src/core/api/uploadBody';
import { Emulator } from '../emulator/server';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace', 'assets');
const key = 'sk-unit-key';
const failure = (p: Promise<unknown>) => p.then(() => assert.fail('it should have failed'), (e: unknown) => e as UpscaleError);

/** A failure a setting can cause names that setting, and not another one. */
describe('Failures name the setting to fix', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  const client = new UpscaleClient({ fetch, requestTimeoutMs: 10_000, taskTimeoutMs: 10_000, poll: { firstMs: 50, stepMs: 25, maxMs: 200 } });
  const logo = () => fileToUpload(join(fixtures, 'logo.png'), 'image/png');

  before(async () => {
    emulator = new Emulator({ key });
    await emulator.start();
  });
  after(() => emulator.stop());

  it('polls tasks at a path other than the default when taskQueryPath says so', async () => {
    emulator.reset({ key, shape: 'task', taskMs: 100, taskPath: '/v1/tasks/{task_id}/status' });
    const outcome = await client.upscale(gatewayProfile(emulator.url, '/v1/tasks/{task_id}/status', key), await logo(), {});
    assert.equal(outcome.images.length, 1);
    assert.ok(emulator.stats.taskQueries >= 1);
  });

  it('a 404 from the task query names taskQueryPath, not baseUrl', async () => {
    emulator.reset({ key, shape: 'task', taskMs: 100, taskPath: '/v1/tasks/{task_id}' });
    const err = await failure(client.upscale(gatewayProfile(emulator.url, '/ideogram/upscale/{task_id}', key), await logo(), {}));
    assert.equal(err.details.status, 404);
    assert.equal(err.details.mayHaveBeenCharged, true, 'the upload was taken');
    const message = describeFailure(err);
    assert.match(message, /"ideogramUpscale\.taskQueryPath"/);
    assert.doesNotMatch(message, /baseUrl/);
    assert.equal(emulator.stats.submits, 1, 'the upload is not sent again');
  });

  it('a 404 from the gateway\'s upload still names baseUrl', async () => {
    const err = await failure(client.upscale({ ...gatewayProfile(emulator.url, '/ideogram/upscale/{task_id}', key), submitPath: '/nowhere' }, await logo(), {}));
    assert.match(describeFailure(err), /"ideogramUpscale\.baseUrl"/);
  });

  it('a wrong Ideogram address names ideogramBaseUrl', async () => {
    const err = await failure(client.upscale({ ...ideogramProfile(emulator.url, key), submitPath: '/nowhere' }, await logo(), {}));
    const message = describeFailure(err);
    assert.match(message, /"ideogramUpscale\.ideogramBaseUrl"/);
    assert.doesNotMatch(message, /"ideogramUpscale\.baseUrl"/);
    assert.throws(() => ideogramProfile('not a url', key), /not a URL\. Set "ideogramUpscale\.ideogramBaseUrl"/);
    assert.throws(() => ideogramProfile('http://example.com', key), /Set "ideogramUpscale\.ideogramBaseUrl" to an https address/);
    assert.throws(() => checkedBaseUrl('not a url'), /Set "ideogramUpscale\.baseUrl"/);
  });
});
