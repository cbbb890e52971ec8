import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadResult } from '../../src/core/api/download';
import { describeFailure, UpscaleError } from '../../src/core/api/errors';

const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A result server on 127.0.0.1 that sends `size` bytes in pieces of `piece` every `everyMs`. */
async function paced(size: number, piece: number, everyMs: number): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': size });
    let sent = 0;
    const timer = setInterval(() => {
      const part = Buffer.alloc(Math.min(piece, size - sent));
      if (sent === 0) png.copy(part);
      sent += part.length;
      res.write(part);
      if (sent >= size) {
        clearInterval(timer);
        res.end();
      }
    }, everyMs);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/result.png`, server };
}

describe('Result downloads: a floor on the pace, not a total timeout', function () {
  this.timeout(10_000);

  it('stops a download that trickles under the floor, says so, and keeps nothing', async () => {
    const { url, server } = await paced(1_000_000, 16, 50);
    try {
      const path = join(await mkdtemp(join(tmpdir(), 'download-test-')), 'r.part');
      const err = await downloadResult({ fetch, requestTimeoutMs: 10_000, stallFloor: { bytes: 4096, windowMs: 400 } }, url, path).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof UpscaleError, String(err));
      assert.match(describeFailure(err), /stopped coming: less than 4 KB arrived in 0 s.*nothing was saved.*connection and proxy/);
      assert.equal(existsSync(path), false, 'the partial file is gone');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('lets a steady download run past the request timeout', async () => {
    // 64 KB in 4 KB pieces every 50 ms: about 0.8 s, against a 300 ms request timeout.
    const { url, server } = await paced(64 * 1024, 4096, 50);
    try {
      const path = join(await mkdtemp(join(tmpdir(), 'download-test-')), 'r.part');
      const done = await downloadResult({ fetch, requestTimeoutMs: 300, stallFloor: { bytes: 4096, windowMs: 400 } }, url, path);
      assert.equal(done.bytes, 64 * 1024);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
