import type { PriceQuote } from '../api/generations';
import type { UpscaleParams } from '../api/params';
import { v2FormFields } from '../api/v2';
import type { Size } from '../images/format';
import { priceOf, Price } from './plan';

/**
 * The exact price of a folder run from the service's dry runs: one quote per distinct image size
 * and parameter set (a folder of same-sized icons costs one), summed over the images.
 */
export function quoteKey(size: Size | undefined, params: UpscaleParams): string | undefined {
  if (!size) return undefined;
  // What is sent, so that fields the model does not take make no other quote.
  return JSON.stringify([size.width, size.height, params.model, v2FormFields(params, { async: false })]);
}

/** The first image of each distinct size: the ones a dry run is sent for. */
export function imagesToQuote<T extends { size?: Size }>(images: readonly T[], params: UpscaleParams, known: ReadonlyMap<string, unknown> = new Map()): { key: string; image: T }[] {
  const seen = new Set<string>();
  const out: { key: string; image: T }[] = [];
  for (const image of images) {
    const key = quoteKey(image.size, params);
    if (key === undefined || seen.has(key) || known.has(key)) continue;
    seen.add(key);
    out.push({ key, image });
  }
  return out;
}

export interface QuotedPrice extends Price {
  /** True when every image's price came from an exact quote; false: the settings' estimate. */
  exact: boolean;
}

/**
 * The sum of the quotes when every image has an exact one (in US dollars, as the service prices);
 * else the estimate from settings for the whole run, never a mix of the two.
 */
export function quotedPrice(images: readonly { size?: Size }[], params: UpscaleParams, quotes: ReadonlyMap<string, PriceQuote | undefined>, estimate: { perResult: number; currency: string }): QuotedPrice {
  let micros = 0;
  for (const image of images) {
    const key = quoteKey(image.size, params);
    const quote = key === undefined ? undefined : quotes.get(key);
    if (!quote || quote.qualifier !== 'exact') return { ...priceOf(images.length, params.numImages ?? 1, estimate.perResult, estimate.currency), exact: false };
    micros += quote.usdMicros;
  }
  return { results: images.length, amount: micros / 1e6, currency: 'USD', exact: images.length > 0 };
}
