import * as assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';
import { ProxyAgent } from 'undici';
import { UpscaleClient } from '../../src/core/api/client';
import { describeFailure, UpscaleError } from '../../src/core/api/errors';
import { gatewayProfile } from '../../src/core/api/services';
import { fileToUpload } from '../../src/core/api/uploadBody';
import { Emulator } from '../emulator/server';
import { RecordingProxy } from '../support/proxy';
import { selfSignedCertificate } from '../support/selfSigned';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace', 'assets');
const key = 'sk-unit-key';
const logo = () => fileToUpload(join(fixtures, 'logo.png'), 'image/png');

function through(dispatcher: object, options: Partial<ConstructorParameters<typeof UpscaleClient>[0]> = {}): UpscaleClient {
  return new UpscaleClient({
    fetch: (input, init) => fetch(input, { ...init, dispatcher } as unknown as RequestInit),
    requestTimeoutMs: 10_000,
    taskTimeoutMs: 10_000,
    poll: { firstMs: 50, stepMs: 25, maxMs: 200 },
    ...options,
  });
}

async function failure(work: Promise<unknown>): Promise<UpscaleError> {
  const err = await work.then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof UpscaleError, `an UpscaleError: ${String(err)}`);
  return err;
}

describe('The network between the client and the service', function () {
  this.timeout(20_000);
  let emulator: Emulator;

  before(async () => {
    emulator = new Emulator({ key });
    await emulator.start();
  });
  after(() => emulator.stop());
  beforeEach(() => emulator.reset({ key }));

  it('the recording proxy names each request inside a tunnel: the upload, every task query, every download', async () => {
    const proxy = new RecordingProxy();
    const agent = new ProxyAgent(await proxy.start());
    try {
      emulator.reset({ key, shape: 'task', taskMs: 300 });
      const client = through(agent);
      const outcome = await client.upscale(gatewayProfile(emulator.url, '/ideogram/upscale/{task_id}', key), await logo(), { numImages: 2 });
      const dir = await mkdtemp(join(tmpdir(), 'network-test-'));
      for (const [i, image] of outcome.images.entries()) await client.download(image.url, join(dir, `${i}.png`));
      const lines = proxy.requestsTo(emulator.url);
      assert.equal(lines.filter((l) => l === `POST ${emulator.url}/ideogram/upscale`).length, 1, JSON.stringify(proxy.seen));
      assert.equal(lines.filter((l) => l.startsWith(`GET ${emulator.url}/ideogram/upscale/`)).length, emulator.stats.taskQueries);
      assert.deepEqual(lines.filter((l) => l.includes('/files/')), outcome.images.map((i) => `GET ${i.url}`));
    } finally {
      await agent.close();
      await proxy.stop();
    }
  });

  it('an upload whose proxy never opens the tunnel fails at the connect deadline, as not sent, and is tried again', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const agent = new ProxyAgent(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`);
    try {
      const started = Date.now();
      const client = through(agent, { connectTimeoutMs: 300, retry: { attempts: 2, maxDelayMs: 100 } });
      const err = await failure(client.upscale(gatewayProfile(emulator.url, '/ideogram/upscale/{task_id}', key), await logo(), {}));
      assert.equal(err.kind, 'network');
      assert.equal(err.details.mayHaveBeenCharged, false);
      assert.match(err.message, /Could not reach the service \(UND_ERR_CONNECT_TIMEOUT\)/);
      assert.equal(sockets.length, 2, 'two attempts, each given up at the deadline');
      assert.ok(Date.now() - started < 5000, 'well before the request timeout');
    } finally {
      // close() would wait for the tunnels that never open.
      for (const socket of sockets) socket.destroy();
      await agent.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('a proxy that asks for credentials (407): says so, names http.proxy and the sign-in, sends nothing, tries once', async () => {
    const proxy = new RecordingProxy({ refuse: 407 });
    const agent = new ProxyAgent(await proxy.start());
    try {
      const err = await failure(through(agent).upscale(gatewayProfile(emulator.url, '/ideogram/upscale/{task_id}', key), await logo(), {}));
      assert.equal(err.kind, 'proxyAuth');
      assert.equal(err.details.mayHaveBeenCharged, false);
      const message = describeFailure(err);
      assert.match(message, /proxy asked for authentication \(HTTP 407\)/);
      assert.match(message, /"http\.proxy"/);
      assert.match(message, /VS Code asks for the proxy's credentials/);
      assert.equal(proxy.seen.length, 1, `one tunnel asked for: ${JSON.stringify(proxy.seen)}`);
      assert.equal(emulator.stats.submits, 0);
    } finally {
      await agent.close();
      await proxy.stop();
    }
  });

  it('a certificate the system does not trust: says so, names http.systemCertificates, sends nothing', async () => {
    const secure = new Emulator({ key });
    const url = await secure.start(0, '127.0.0.1', await selfSignedCertificate());
    try {
      const client = new UpscaleClient({ fetch, requestTimeoutMs: 10_000, taskTimeoutMs: 10_000 });
      const err = await failure(client.upscale(gatewayProfile(url, '/ideogram/upscale/{task_id}', key), await logo(), {}));
      assert.equal(err.kind, 'certificate');
      assert.equal(err.details.mayHaveBeenCharged, false);
      assert.match(describeFailure(err), /TLS certificate is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\).*"http\.systemCertificates"/);
      assert.equal(secure.stats.submits, 0);
    } finally {
      await secure.stop();
    }
  });
});
