import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileToUpload } from '../../src/core/api/uploadBody';
import { basename } from 'node:path';
import { gatewayProfile } from '../../src/core/api/services';
import { imageRequestJson } from '../../src/core/api/params';
import { noisePng } from './images';
import { Figure, judge, mb, median, ms, round } from './report';
import { benchClient, benchKey, defaultParams, RemoteEmulator, taskQueryPath } from './shared';

const warmUps = 2;
const runs = 15;

/**
 * Figure 1: the time to submit a 25 MB image through the extension's client, until the answer has
 * arrived, against curl sending the same multipart body to the same path. The emulator runs in a
 * process of its own and only parses the upload (`echoOnly`), so both sides measure transfer and
 * parsing. `warmUps` unmeasured runs each (the first upload of a process also compiles fetch's
 * code: about 120 ms against 40 ms later on this machine; it is printed, not counted), then `runs`
 * of each, alternating; medians compared (single runs on this 2-core machine vary by a third).
 */
export async function uploadFigure(): Promise<Figure> {
  const file = await noisePng();
  const size = statSync(file).size;
  const emulator = await RemoteEmulator.start({ key: benchKey, shape: 'sync', echoOnly: true });
  try {
    const client = benchClient();
    const profile = gatewayProfile(emulator.url, taskQueryPath, benchKey);
    const ours = async () => {
      const started = performance.now();
      await client.upscale(profile, await fileToUpload(file, 'image/png'), defaultParams);
      return performance.now() - started;
    };
    const curl = () => curlUpload(`${emulator.url}/ideogram/upscale`, file);
    const firstMs = await ours();
    await curl();
    for (let i = 1; i < warmUps; i++) {
      await ours();
      await curl();
    }
    const oursMs: number[] = [];
    const curlMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      oursMs.push(await ours());
      curlMs.push(await curl());
    }
    const stats = await emulator.stats();
    if (stats.submits !== 2 * (runs + warmUps)) throw new Error(`the emulator counted ${stats.submits} uploads, expected ${2 * (runs + warmUps)}`);
    const o = median(oursMs);
    const c = median(curlMs);
    const ratio = o / c;
    return judge('upload', `${mb(size)} PNG, ours ${ms(o)} vs curl ${ms(c)} = ${ratio.toFixed(2)}x (medians of ${runs}, alternating, after ${warmUps} warm-ups; the process's first upload took ${ms(firstMs)})`, round(ratio, 2), 'x', { op: '<=', limit: 1.2 }, {
      fileBytes: size,
      firstUploadMs: round(firstMs, 1),
      oursMs: oursMs.map((v) => round(v, 1)),
      curlMs: curlMs.map((v) => round(v, 1)),
      oursMedianMs: round(o, 1),
      curlMedianMs: round(c, 1),
      ratio,
      oursMBps: round(size / 1024 / 1024 / (o / 1000), 1),
      curlMBps: round(size / 1024 / 1024 / (c / 1000), 1),
      curlTime: 'curl -w %{time_total}: from its start of name lookup to the last byte of the answer (its process start-up is not counted)',
      emulator: 'separate process, echoOnly (multipart parsed fully, no decode/upscale)',
    });
  } finally {
    await emulator.stop();
  }
}

/** The same request as the client's: Bearer key, `image_request` text field, `image_file` file part. */
function curlUpload(url: string, file: string): Promise<number> {
  const args = [
    '--silent', '--show-error',
    '--output', '/dev/null',
    '--write-out', '%{http_code} %{time_total}',
    '--header', `Authorization: Bearer ${benchKey}`,
    '--header', 'Accept: application/json',
    // undici sends no `Expect: 100-continue`; neither does this.
    '--header', 'Expect:',
    '--form-string', `image_request=${imageRequestJson(defaultParams)}`,
    '--form', `image_file=@${file};type=image/png;filename=${basename(file)}`,
    url,
  ];
  return new Promise((resolve, reject) => {
    execFile('curl', args, (err, stdout, stderr) => {
      if (err) return reject(new Error(`curl failed: ${stderr || err.message}`));
      const [status, seconds] = stdout.trim().split(' ');
      if (status !== '200') return reject(new Error(`curl got HTTP ${status}`));
      resolve(Number(seconds) * 1000);
    });
  });
}
