import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UpscaleSummary } from '../../src/commands/upscale';
import type { UpscaleParams } from '../../src/core/api/params';
import type { OutputMode } from '../../src/settings';
import { Emulator, EmulatorOptions } from '../emulator/server';
import { FaultName } from '../emulator/faults';
import { RecordingCdn } from '../support/cdn';
import { env, ui } from '../support/handshake';
import { panel, testKey, until } from './helpers';
import { NetworkFault, settings } from './networkFaults';

export interface Case {
  fault: FaultName | NetworkFault;
  /** The row's title where one fault has several rows (the same fault met by another service). */
  name?: string;
  /**
   * What the user ends with: the job failed and says why (the default); the job is done but its
   * output was refused, and says why (`refused`); or the fault was ridden out and the result is
   * kept (`recovered`, its output left to the panel so that nothing is written).
   */
  outcome?: 'failed' | 'refused' | 'recovered';
  /** What the user must read: the cause, in the words of the message. */
  cause?: RegExp;
  /** The next step the message must name. */
  next?: RegExp;
  /** Uploads the service may see: more than one only where a retry cannot have been charged. */
  uploads: number;
  emulator?: Partial<EmulatorOptions>;
  params?: UpscaleParams;
  output?: OutputMode;
  /** The gateway gave a request id that the message must carry. */
  requestId?: boolean;
  /** Sets up what the fault needs around the emulator; returns its options and how to undo it. */
  around?: (emulator: Emulator) => Promise<{ emulator?: Partial<EmulatorOptions>; undo: () => Promise<void> }>;
  /** What else must hold once the run ended. */
  check?: (emulator: Emulator, summary: UpscaleSummary) => Promise<void>;
}

const key = /Set API Key/;
const retry = /try again|run the upscale again/i;

let cdn: RecordingCdn | undefined;

/**
 * A fault met by Ideogram's current upscalers: the row switches the service to them (the key
 * stored in the Ideogram slot they share with v1, removed again after) and sends a v2 request.
 */
function v2(c: Omit<Case, 'around'> & { name: string }): Case {
  return {
    params: { model: 'topaz-text-refine', upscaleFactor: 'x2' },
    ...c,
    around: async (emulator) => {
      const undo = await settings({ 'ideogramUpscale.service': 'ideogramV2', 'ideogramUpscale.ideogramBaseUrl': emulator.url });
      await vscode.commands.executeCommand('ideogramUpscale.setApiKey', testKey);
      return {
        undo: async () => {
          await vscode.commands.executeCommand('ideogramUpscale.clearApiKey');
          await undo();
        },
      };
    },
  };
}

export const cases: Case[] = [
  { fault: 'unauthorized', cause: /did not accept the API key \(HTTP 401/, next: key, uploads: 1, requestId: true },
  { fault: 'forbidden', cause: /did not accept the API key \(HTTP 403/, next: key, uploads: 1, requestId: true },
  { fault: 'paymentRequired', cause: /no balance left \(HTTP 402/, next: /Top up/, uploads: 1, requestId: true },
  { fault: 'insufficientBalance', cause: /no balance left.*insufficient user quota/, next: /Top up/, uploads: 1, requestId: true },
  { fault: 'tooLarge', cause: /too large for the service \(HTTP 413/, next: /smaller image/, uploads: 1, requestId: true },
  { fault: 'safetyRefusal', cause: /refused the image on safety grounds \(HTTP 422/, next: /another image/, uploads: 1, requestId: true },
  { fault: 'rateLimited', cause: /limiting requests \(HTTP 429/, next: /Wait a minute/, uploads: 3, requestId: true },
  { fault: 'rateLimitedNoRetryAfter', cause: /limiting requests \(HTTP 429/, next: /Wait a minute/, uploads: 3, requestId: true },
  { fault: 'inflightLimited', cause: /as many images in flight as the account allows \(HTTP 429 inflight_limit\)/, next: /"ideogramUpscale\.maxImagesInFlight"/, uploads: 3, requestId: true },
  // Ideogram's current upscalers, here so that the window their inflight_limit narrows is wide again before the batch test.
  v2({ name: 'v2 generation failed', fault: 'taskFailed', cause: /task failed: image could not be processed/, next: /other parameters/, uploads: 1 }),
  v2({ name: 'v2 generation never ends', fault: 'taskNeverEnds', cause: /did not finish within 10 s/, next: /taskTimeoutSeconds/, uploads: 1 }),
  v2({
    // Polling is rate limited per organisation: each 429's Retry-After is waited out, nothing is sent again.
    name: 'v2 polling rate limited',
    fault: 'taskQueryFails',
    outcome: 'recovered',
    uploads: 1,
    emulator: { faultTimes: 1, taskMs: 300, rateLimitQueries: 2, queryRetryAfterSeconds: 1 },
    check: async (emulator) => {
      assert.ok(emulator.v2.stats.generationQueries >= 4, `asked again after each refusal (${emulator.v2.stats.generationQueries} queries)`);
      assert.deepEqual(emulator.v2.stats.contractViolations, []);
    },
  }),
  v2({ name: 'v2 inflight_limit', fault: 'inflightLimited', cause: /as many images in flight as the account allows \(HTTP 429 inflight_limit\)/, next: /"ideogramUpscale\.maxImagesInFlight"/, uploads: 3 }),
  v2({ name: 'v2 result withheld as unsafe', fault: 'unsafe', cause: /withheld the result as unsafe/, next: /another image/, uploads: 1 }),
  { fault: 'serverError', cause: /service failed \(HTTP 500/, next: retry, uploads: 1, requestId: true },
  { fault: 'badGateway', cause: /service failed \(HTTP 502/, next: retry, uploads: 1 },
  { fault: 'unavailable', cause: /service failed \(HTTP 503/, next: retry, uploads: 1, requestId: true },
  { fault: 'unavailableRetryAfter', cause: /service failed \(HTTP 503/, next: retry, uploads: 3, requestId: true },
  { fault: 'redirectedUpload', cause: /answered the upload with a redirect, so nothing was upscaled/, next: /baseUrl/, uploads: 1 },
  { fault: 'resetWhileUploading', cause: /Could not reach the service|connection/i, next: /connection and proxy/, uploads: 1 },
  { fault: 'noAnswer', cause: /did not answer within 5 s/, next: /requestTimeoutSeconds/, uploads: 1 },
  { fault: 'notJson', cause: /body that is not JSON/, next: /baseUrl/, uploads: 1 },
  { fault: 'nonZeroCode', cause: /refused the request: image_request: invalid parameter/, next: /parameters/, uploads: 1, requestId: true },
  { fault: 'taskFailed', cause: /task failed: upscale failed: image could not be processed/, next: /other parameters/, uploads: 1, emulator: { shape: 'task' }, requestId: true },
  { fault: 'taskNeverEnds', cause: /did not finish within 10 s/, next: /taskTimeoutSeconds/, uploads: 1, emulator: { shape: 'task' }, requestId: true },
  {
    // Five failed queries take longer than the matrix's 10 s task timeout at the polling's pace.
    fault: 'taskQueryFails',
    outcome: 'recovered',
    uploads: 1,
    emulator: { shape: 'task', faultTimes: 5 },
    around: async () => ({ undo: await settings({ 'ideogramUpscale.taskTimeoutSeconds': 60 }) }),
    check: async (emulator) => {
      assert.equal(emulator.stats.faultsServed, 5, 'five queries answered 502');
      assert.ok(emulator.stats.taskQueries >= 6, `asked again after each (${emulator.stats.taskQueries} queries)`);
    },
  },
  { fault: 'taskQueryDown', cause: /did not finish within 10 s; its last \d+ status queries failed \(HTTP 503\)/, next: /taskTimeoutSeconds/, uploads: 1, emulator: { shape: 'task' }, requestId: true },
  { fault: 'resultNotFound', cause: /result link no longer works \(HTTP 404/, next: retry, uploads: 1 },
  { fault: 'resultNotImage', cause: /not a PNG, JPEG or WebP image/, next: retry, uploads: 1 },
  { fault: 'resultCutShort', cause: /Result 1 for logo\.png arrived damaged: the PNG data is cut short\. Nothing was saved\./, next: retry, uploads: 1 },
  { fault: 'resultHuge', cause: /more than any upscale can be/, next: retry, uploads: 1 },
  { fault: 'resultStalls', cause: /result stopped coming: less than 32 KB arrived in 10 s, so its download was stopped and nothing was saved/, next: /connection and proxy/, uploads: 1 },
  { fault: 'redirectLoop', cause: /redirected more than 5 times/, next: retry, uploads: 1 },
  {
    // Followed: the download carries no key, so another host learns nothing it could use.
    fault: 'resultOnAnotherHost',
    outcome: 'recovered',
    uploads: 1,
    emulator: { faultTimes: 1 },
    around: async (emulator) => {
      cdn = new RecordingCdn(emulator.url);
      const origin = await cdn.start();
      return { emulator: { cdn: origin }, undo: () => cdn!.stop() };
    },
    check: async () => {
      assert.equal(cdn?.requests.length, 1, 'the result was fetched from the other host');
      const headers = cdn!.requests[0].headers;
      assert.equal(headers.authorization, undefined);
      assert.equal(headers['api-key'], undefined);
      assert.ok(!JSON.stringify(headers).includes(testKey), 'no header carries the key');
    },
  },
  { fault: 'unsafe', cause: /withheld the result as unsafe/, next: /another image/, uploads: 1 },
  {
    fault: 'oneUnsafe',
    outcome: 'recovered',
    uploads: 1,
    params: { numImages: 2 },
    check: async (emulator, summary) => {
      assert.equal(summary.jobs[0].withheld, 1, 'one result withheld');
      assert.equal(emulator.stats.downloads, 1, 'the flagged image was not fetched, though its link works');
      if (!env.canScreenshot) return;
      // The panel hears of a change up to 50 ms after the command ends, and a card being redrawn
      // can read empty for a moment: read the done card until it says so, 10 s at most.
      let text = '';
      const read = async () => {
        await ui([{ textOf: `${panel.card('logo.png')}.state-done:first-of-type`, frame: 'panel', file: 'one-unsafe-card.txt' }]);
        text = await readFile(join(env.outDir, 'one-unsafe-card.txt'), 'utf8');
        return /Withheld by the service as unsafe/.test(text);
      };
      await until('the card says a result was withheld', read, 10_000).catch(() => undefined);
      assert.match(text, /Withheld by the service as unsafe/);
    },
  },
  {
    fault: 'resultSmaller',
    outcome: 'refused',
    output: 'replace',
    cause: /returned logo\.png at \d+×\d+, no larger than the original \(\d+×\d+\): that is not an upscale, so it was not replaced/,
    next: /Run the upscale again/,
    uploads: 1,
  },
  { fault: 'proxyAsksForCredentials', cause: /proxy asked for authentication \(HTTP 407\), so nothing reached the service/, next: /"http\.proxy".*VS Code asks for the proxy's credentials/, uploads: 0 },
  { fault: 'untrustedCertificate', cause: /TLS certificate is not trusted \(\w+\), so nothing was sent/, next: /"http\.systemCertificates"/, uploads: 0 },
];
