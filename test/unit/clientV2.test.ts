import * as assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { loadCodecs } from '../../src/core/images/codecs';
import { UpscaleClient } from '../../src/core/api/client';
import { UpscaleError } from '../../src/core/api/errors';
import { ideogramV2Profile, ServiceProfile } from '../../src/core/api/services';
import { fileToUpload } from '../../src/core/api/uploadBody';
import { readSize } from '../../src/core/images/format';
import { Emulator } from '../emulator/server';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace', 'assets');
const key = 'ideogram-unit-key';

describe('UpscaleClient against the emulator\'s v2 upscalers', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let profile: ServiceProfile;
  let dir: string;
  const client = new UpscaleClient({ fetch, requestTimeoutMs: 10_000, taskTimeoutMs: 10_000, poll: { firstMs: 50, stepMs: 25, maxMs: 200 } });
  const logo = () => fileToUpload(join(fixtures, 'logo.png'), 'image/png');
  /** 1100x40: 8x would pass 8,192 px, 4x would not. */
  const wide = async () => {
    const path = join(dir, 'wide.png');
    const codecs = await loadCodecs();
    await writeFile(path, await codecs.encode({ width: 1100, height: 40, data: new Uint8ClampedArray(1100 * 40 * 4).fill(200) }, 'png'));
    return fileToUpload(path, 'image/png');
  };

  before(async () => {
    emulator = new Emulator({ key });
    profile = ideogramV2Profile(await emulator.start(), key);
    dir = await mkdtemp(join(tmpdir(), 'client-v2-'));
  });
  after(() => emulator.stop());
  beforeEach(() => emulator.reset({ key, taskMs: 300 }));
  afterEach(function () {
    // Every request of every test is one the docs describe.
    if (this.currentTest?.state === 'passed') assert.deepEqual(emulator.v2.stats.contractViolations, []);
  });

  it('sends one request of each kind as the docs describe, and gets a 4x image in the source\'s format', async () => {
    let generation: string | undefined;
    const outcome = await client.upscale(profile, await logo(), { model: 'topaz-text-refine', upscaleFactor: 'x4' }, { onTask: (id) => (generation = id) });
    assert.ok(generation, 'answered with a generation to poll');
    assert.equal(outcome.taskId, generation);
    assert.equal(emulator.v2.stats.lastModel, 'topaz-text-refine');
    assert.deepEqual(emulator.v2.stats.lastFields, { upscale_factor: 'x4', async: 'true', image: '<file logo.png>' });
    assert.equal(emulator.stats.lastHeaders['api-key'], key);
    assert.ok(emulator.v2.stats.generationQueries >= 1);
    assert.equal(outcome.billedUsdMicros, 10_000, 'the 512x384 result is one started megapixel');
    const file = join(dir, 'refined.png');
    await client.download(outcome.images[0].url, file);
    const source = readSize(await readFile(join(fixtures, 'logo.png')));
    assert.deepEqual(readSize(await readFile(file)), { width: source!.width * 4, height: source!.height * 4 });
    for (const params of [{ model: 'topaz-wonder-3-5', upscaleFactor: 'x2', enhancementStrength: 'low' }, { model: 'topaz-bloom-2', prompt: 'sharper' }, { model: 'nano-banana-pro', resolutionTier: '1K' }] as const) {
      const other = await client.upscale(profile, await logo(), params);
      assert.equal(other.images.length, 1, params.model);
    }
    const quote = await client.quote(profile, await wide(), { model: 'topaz-standard-2', upscaleFactor: 'x4' });
    // 4400x160: one started megapixel.
    assert.deepEqual(quote && [quote.usdMicros, quote.qualifier], [10_000, 'exact']);
    const larger = await client.quote(profile, await wide(), { model: 'topaz-wonder-4', upscaleFactor: 'x4' });
    assert.ok(larger && larger.usdMicros === 10_000);
    assert.equal(emulator.v2.stats.dryRuns, 2);
  });

  it('fails with the failure_reason of a failed generation', async () => {
    emulator.reset({ key, taskMs: 100, taskOutcome: 'failed' });
    await assert.rejects(client.upscale(profile, await logo(), { model: 'topaz-standard-2' }), (err: UpscaleError) => err.kind === 'taskFailed' && /image could not be processed/.test(err.message));
  });

  it('waits as long as Retry-After says when polling is rate limited', async () => {
    emulator.reset({ key, taskMs: 100, rateLimitQueries: 1, queryRetryAfterSeconds: 1 });
    const started = Date.now();
    const patient = new UpscaleClient({ fetch, requestTimeoutMs: 10_000, taskTimeoutMs: 10_000, poll: { firstMs: 50, stepMs: 25, maxMs: 2000 } });
    const outcome = await patient.upscale(profile, await logo(), { model: 'topaz-standard-2' });
    assert.equal(outcome.images.length, 1);
    assert.ok(Date.now() - started >= 1000, 'the second query waited the second it was told');
  });

  it('is refused with 400 for a factor past 8,192 px, and takes it up again once room is made for an inflight_limit', async () => {
    // 1100 px × 8 is past the cap; Wonder 4 has no x8 at all.
    emulator.reset({ key, taskMs: 100 });
    const big = await wide();
    await assert.rejects(client.upscale(profile, big, { model: 'topaz-text-refine', upscaleFactor: 'x8' }), (err: UpscaleError) => err.kind === 'badRequest' && /larger than 8192 pixels/.test(err.message));
    await assert.rejects(client.quote(profile, big, { model: 'topaz-text-refine', upscaleFactor: 'x8' }), (err: UpscaleError) => err.kind === 'badRequest');
    assert.equal(emulator.stats.acceptedByName['wide.png'], undefined, 'nothing was run');
    emulator.reset({ key, taskMs: 100, fault: 'inflightLimited', faultTimes: 1 });
    let made = 0;
    const outcome = await client.upscale(profile, big, { model: 'topaz-standard-2' }, { onInflightLimit: () => void made++ });
    assert.equal(made, 1);
    assert.equal(outcome.images.length, 1);
  });

  it('polls a generation it already has after a reload, uploading nothing again', async () => {
    let generation = '';
    await client.upscale(profile, await logo(), { model: 'topaz-standard-2' }, { onTask: (id) => (generation = id) });
    const before = emulator.stats.submits;
    const resumed = await client.resume(profile, generation, undefined);
    assert.equal(resumed.images.length, 1);
    assert.equal(emulator.stats.submits, before);
  });
});
