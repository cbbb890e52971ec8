import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpscaleClient } from '../../src/core/api/client';
import { UpscaleError } from '../../src/core/api/errors';
import { gatewayProfile, ServiceProfile } from '../../src/core/api/services';
import { fileToUpload } from '../../src/core/api/uploadBody';
import { loadCodecs } from '../../src/core/images/codecs';
import { Emulator } from '../emulator/server';
import { RecordingProxy } from '../support/proxy';
import { freePort } from '../runners/workbench';
import { Agent, ProxyAgent } from 'undici';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace', 'assets');
const key = 'sk-unit-key';

describe('UpscaleClient against the emulator over HTTP', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  let profile: ServiceProfile;
  let dir: string;
  const client = new UpscaleClient({ fetch, requestTimeoutMs: 10_000, taskTimeoutMs: 10_000, poll: { firstMs: 50, stepMs: 25, maxMs: 200 } });
  const source = (name: string, type: string) => fileToUpload(join(fixtures, name), type);

  before(async () => {
    emulator = new Emulator({ key });
    const url = await emulator.start();
    profile = gatewayProfile(url, '/ideogram/upscale/{task_id}', key);
    dir = await mkdtemp(join(tmpdir(), 'client-test-'));
  });
  after(() => emulator.stop());
  beforeEach(() => emulator.reset({ key }));

  it('sends the multipart body with the parameters and the Bearer key, and reads the synchronous list', async () => {
    const outcome = await client.upscale(profile, await source('logo.png', 'image/png'), { resemblance: 70, detail: 30, magicPrompt: 'OFF', numImages: 2, seed: 42 });
    assert.equal(outcome.images.length, 2);
    assert.deepEqual(outcome.images.map((i) => i.seed), [42, 43]);
    assert.equal(outcome.images[0].resolution, '256x192');
    assert.deepEqual(emulator.stats.lastImageRequest, { resemblance: 70, detail: 30, magic_prompt_option: 'OFF', num_images: 2, seed: 42 });
    assert.equal(emulator.stats.lastHeaders.authorization, `Bearer ${key}`);
    assert.equal(emulator.stats.lastHeaders.accept, 'application/json');
  });

  it('reads a gateway-wrapped list and downloads a real image at twice the size', async () => {
    emulator.reset({ key, shape: 'wrapped' });
    const outcome = await client.upscale(profile, await source('photo.jpg', 'image/jpeg'), {});
    const file = join(dir, 'wrapped.jpg');
    const downloaded = await client.download(outcome.images[0].url, file);
    assert.equal(downloaded.format, 'jpeg');
    const image = await (await loadCodecs()).decode(new Uint8Array(await readFile(file)));
    assert.deepEqual([image.width, image.height], [320, 240]);
  });

  it('polls a task until it succeeds', async () => {
    // Longer than the in-process emulator takes to make the picture (which holds this thread).
    emulator.reset({ key, shape: 'task', taskMs: 1200 });
    const outcome = await client.upscale(profile, await source('banner.webp', 'image/webp'), {});
    assert.ok(outcome.taskId, 'the outcome names the task');
    assert.ok(emulator.stats.taskQueries >= 2, `polled ${emulator.stats.taskQueries} times`);
    assert.equal(emulator.stats.submits, 1);
    const downloaded = await client.download(outcome.images[0].url, join(dir, 'task.webp'));
    assert.equal(downloaded.format, 'webp');
  });

  it('polls a task until it fails, and reports the service\'s reason', async () => {
    emulator.reset({ key, shape: 'task', taskMs: 100, taskOutcome: 'failed' });
    const err = await client.upscale(profile, await source('logo.png', 'image/png'), {}).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof UpscaleError);
    assert.equal(err.kind, 'taskFailed');
    assert.match(err.message, /image could not be processed/);
    assert.equal(emulator.stats.submits, 1, 'a failed task is not resubmitted');
  });

  it('turns a 400 into a bad-request failure with the service\'s message', async () => {
    const err = await client.upscale(profile, await source('logo.png', 'image/png'), { resemblance: 0 }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof UpscaleError);
    assert.equal(err.kind, 'badRequest');
    assert.equal(err.details.status, 400);
    assert.match(err.message, /resemblance must be an integer between 1 and 100/);
  });

  it('sends an upload again by itself only when the connection failed before anything was sent', async () => {
    const port = await freePort(); // nothing listens there yet
    const late = new Emulator({ key });
    const starting = new Promise((r) => setTimeout(r, 300)).then(() => late.start(port));
    try {
      const patient = new UpscaleClient({ fetch, requestTimeoutMs: 5000, taskTimeoutMs: 5000, retry: { attempts: 3, maxDelayMs: 5000 } });
      const outcome = await patient.upscale(gatewayProfile(`http://127.0.0.1:${port}`, '/ideogram/upscale/{task_id}', key), await source('logo.png', 'image/png'), {});
      assert.equal(outcome.images.length, 1);
      assert.equal(late.stats.submits, 1, 'the refused connection carried nothing; the retry is the one upload');
    } finally {
      await starting;
      await late.stop();
    }
  });

  it('turns a 401 into an auth failure that names no key', async () => {
    const wrong = gatewayProfile(emulator.url, '/ideogram/upscale/{task_id}', 'sk-wrong-key');
    const err = await client.upscale(wrong, await source('logo.png', 'image/png'), {}).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof UpscaleError);
    assert.equal(err.kind, 'auth');
    assert.equal(err.details.status, 401);
    assert.ok(!err.message.includes('sk-wrong-key'));
    assert.equal(emulator.stats.submits, 1, 'a refused key is not retried');
  });

  it('delivers a file of many pieces byte for byte, directly and through a proxy', async () => {
    // Larger than the buffers the client reads into take turns over, and not a whole number of them.
    const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(9 * 1024 * 1024 + 12_345)]);
    const path = join(dir, 'many-pieces.png');
    await writeFile(path, bytes);
    const sent = createHash('sha256').update(bytes).digest('hex');
    const proxy = new RecordingProxy();
    const proxyUrl = await proxy.start();
    // The dispatchers the extension host's fetch is given: ours without a proxy, VS Code's with one.
    const direct = new Agent({ connect: { timeout: 15_000 } });
    const proxied = new ProxyAgent(proxyUrl);
    try {
      for (const dispatcher of [direct, proxied]) {
        emulator.reset({ key, echoOnly: true });
        const through = new UpscaleClient({ fetch: (input, init) => fetch(input, { ...init, dispatcher } as unknown as RequestInit), requestTimeoutMs: 10_000, taskTimeoutMs: 10_000 });
        const outcome = await through.upscale(profile, await fileToUpload(path, 'image/png'), {});
        assert.equal(outcome.images.length, 1);
        assert.equal(await emulator.lastFileSha256(), sent, dispatcher === direct ? 'direct' : 'through the proxy');
      }
      assert.ok(proxy.seen.includes(`CONNECT ${new URL(emulator.url).host}`), `the proxy carried the upload: ${JSON.stringify(proxy.seen)}`);
    } finally {
      await Promise.all([direct.close(), proxied.close(), proxy.stop()]);
    }
  });

  it('sends the bytes its Content-Length promised when the file grew after it was measured', async () => {
    const bytes = await readFile(join(fixtures, 'logo.png'));
    const path = join(dir, 'grows.png');
    await writeFile(path, bytes);
    const upload = await fileToUpload(path, 'image/png');
    await appendFile(path, randomBytes(4096));
    emulator.reset({ key, echoOnly: true });
    const outcome = await client.upscale(profile, upload, {});
    assert.equal(outcome.images.length, 1);
    assert.equal(await emulator.lastFileSha256(), createHash('sha256').update(bytes).digest('hex'));
  });

  it('refuses to follow a redirect of the upload and says to check the address', async () => {
    emulator.reset({ key, fault: 'redirectedUpload' });
    const err = await client.upscale(profile, await source('logo.png', 'image/png'), {}).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof UpscaleError);
    assert.equal(err.kind, 'unexpected');
    assert.match(err.message, /answered the upload with a redirect, so nothing was upscaled/);
    assert.equal(err.details.mayHaveBeenCharged, false);
    assert.equal(emulator.stats.submits, 1, 'the upload was not sent again, to the old address or the new one');
  });
});
