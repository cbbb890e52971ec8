import * as assert from 'node:assert/strict';
import { PriceQuote } from '../../src/core/api/generations';
import { imagesToQuote, quotedPrice, quoteKey } from '../../src/core/batch/quotes';

describe('The price of a v2 folder run from dry runs', () => {
  const params = { model: 'topaz-text-refine', upscaleFactor: 'x4' } as const;
  type Image = { path: string; size?: { width: number; height: number } };
  const icon = (path: string, width = 64, height = 64): Image => ({ path, size: { width, height } });
  const images: Image[] = [icon('a.png'), icon('b.png'), icon('c.png', 128, 64), icon('d.png'), { path: 'e.png' }];
  const estimate = { perResult: 0.06, currency: 'CNY' };

  it('asks one quote per distinct size and parameter set, and none for what is known already', () => {
    assert.deepEqual(imagesToQuote(images, params).map((q) => q.image.path), ['a.png', 'c.png']);
    const known = new Map([[quoteKey({ width: 64, height: 64 }, params)!, undefined]]);
    assert.deepEqual(imagesToQuote(images, params, known).map((q) => q.image.path), ['c.png']);
    assert.notEqual(quoteKey({ width: 64, height: 64 }, params), quoteKey({ width: 64, height: 64 }, { ...params, upscaleFactor: 'x2' }));
    // A field the model does not take is not sent, so it asks no other quote.
    assert.equal(quoteKey({ width: 64, height: 64 }, params), quoteKey({ width: 64, height: 64 }, { ...params, resolutionTier: '4K', enhancementStrength: 'high' }));
  });

  it('sums the exact quotes over every image, in US dollars', () => {
    const quotes = new Map<string, PriceQuote>([
      [quoteKey({ width: 64, height: 64 }, params)!, { usdMicros: 10_000, qualifier: 'exact' }],
      [quoteKey({ width: 128, height: 64 }, params)!, { usdMicros: 20_000, qualifier: 'exact' }],
    ]);
    assert.deepEqual(quotedPrice(images.slice(0, 4), params, quotes, estimate), { results: 4, amount: 0.05, currency: 'USD', exact: true });
  });

  it('falls back to the estimate for the whole run when any image has no exact quote', () => {
    const quotes = new Map<string, PriceQuote | undefined>([
      [quoteKey({ width: 64, height: 64 }, params)!, { usdMicros: 10_000, qualifier: 'exact' }],
      [quoteKey({ width: 128, height: 64 }, params)!, { usdMicros: 20_000, qualifier: 'estimate' }],
    ]);
    assert.deepEqual(quotedPrice(images.slice(0, 4), params, quotes, estimate), { results: 4, amount: 0.24, currency: 'CNY', exact: false });
    // A failed dry run (undefined) and an image whose size is unknown, likewise.
    assert.equal(quotedPrice([icon('x.png', 1, 1)], params, quotes, estimate).exact, false);
    assert.equal(quotedPrice([images[4]], params, quotes, estimate).exact, false);
    assert.equal(quotedPrice([], params, quotes, estimate).exact, false);
  });
});
