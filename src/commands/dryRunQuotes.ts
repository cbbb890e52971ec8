import * as vscode from 'vscode';
import { UpscaleClient } from '../core/api/client';
import { PriceQuote } from '../core/api/generations';
import { UpscaleParams } from '../core/api/params';
import { fileToUpload } from '../core/api/uploadBody';
import { formatInfo, UpscalableFormat } from '../core/images/format';
import { ApiKeyStore } from '../secrets';
import { readSettings, serviceProfile } from '../settings';

/** One image to price: the first of its size and parameter set. */
export interface ToQuote {
  key: string;
  uri: vscode.Uri;
  format: UpscalableFormat;
}

/** Adds the service's quote for each image to `known` (undefined where the dry run failed). */
export type Quoter = (params: UpscaleParams, images: readonly ToQuote[], known: Map<string, PriceQuote | undefined>) => Promise<void>;

/**
 * Prices with the v2 upscalers' dry run (`?dry_run=true`: validated and priced, never run, stored
 * or billed). Another service, no stored key or a file not on disk leaves the images unquoted,
 * and the plan then shows the estimate from settings, labelled as one.
 */
export function dryRunQuoter(client: () => UpscaleClient, keys: ApiKeyStore, log: vscode.LogOutputChannel): Quoter {
  return async (params, images, known) => {
    const settings = readSettings();
    const key = settings.service === 'ideogramV2' ? await keys.get(settings.service) : undefined;
    if (!key || images.length === 0) return;
    let profile;
    try {
      profile = serviceProfile(settings, key);
    } catch {
      return;
    }
    const quoting = client();
    // A few at a time: each is an upload, if an unbilled one.
    const queue = [...images];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        try {
          if (next.uri.scheme !== 'file') throw new Error('not a file on disk');
          known.set(next.key, await quoting.quote(profile, await fileToUpload(next.uri.fsPath, formatInfo[next.format].mime), params));
        } catch (err) {
          log.warn(`dry run of ${vscode.workspace.asRelativePath(next.uri)}: ${(err as Error).message}; the estimate from settings is shown`);
          known.set(next.key, undefined);
        }
      }
    };
    await Promise.all([worker(), worker(), worker()]);
  };
}
