import * as assert from 'node:assert/strict';
import { parseGeneration, parseQuote } from '../../src/core/api/generations';
import { paramsProblem, paramsSummary } from '../../src/core/api/params';
import { factorProblem, largestFactor, outputSize, v2FormFields, v2Models, v2SubmitPath } from '../../src/core/api/v2';

describe('Ideogram v2 upscalers: the request', () => {
  it('puts the model in the path and sends only the fields each model takes', () => {
    assert.equal(v2SubmitPath({ model: 'topaz-text-refine' }), '/v2/image/upscale/topaz-text-refine');
    assert.equal(v2SubmitPath({}), '/v2/image/upscale/topaz-standard-2');
    const all = { upscaleFactor: 'x4', enhancementStrength: 'low', prompt: 'crisp', resolutionTier: '4K' } as const;
    assert.deepEqual(v2FormFields({ model: 'topaz-text-refine', ...all }, { async: true }), [['upscale_factor', 'x4'], ['async', 'true']]);
    assert.deepEqual(v2FormFields({ model: 'topaz-wonder-3-5', ...all }, { async: false }), [['upscale_factor', 'x4'], ['enhancement_strength', 'low']]);
    assert.deepEqual(v2FormFields({ model: 'topaz-bloom-2', ...all }, { async: false }), [['upscale_factor', 'x4'], ['prompt', 'crisp']]);
    assert.deepEqual(v2FormFields({ model: 'topaz-redefine', upscaleFactor: 'x8' }, { async: false }), [['upscale_factor', 'x8']]);
    assert.deepEqual(v2FormFields({ model: 'nano-banana-pro', ...all }, { async: false }), [['resolution_tier', '4K']]);
    assert.deepEqual(v2FormFields({ model: 'nano-banana-pro' }, { async: false }), [['resolution_tier', '2K']]);
    // Wonder 4 has no x8: a factor it does not take falls back to x2 rather than a refusal after upload.
    assert.deepEqual(v2FormFields({ model: 'topaz-wonder-4', upscaleFactor: 'x8' }, { async: false }), [['upscale_factor', 'x2']]);
  });

  it('gives the largest factor whose output stays within 8,192 px, per model', () => {
    assert.equal(largestFactor('topaz-text-refine', { width: 1024, height: 512 }), 'x8');
    assert.equal(largestFactor('topaz-text-refine', { width: 1025, height: 512 }), 'x4');
    assert.equal(largestFactor('topaz-text-refine', { width: 400, height: 2048 }), 'x4');
    assert.equal(largestFactor('topaz-standard-2', { width: 2049, height: 10 }), 'x2');
    assert.equal(largestFactor('topaz-standard-2', { width: 4097, height: 10 }), undefined);
    // Not capped, and no x8.
    assert.equal(largestFactor('topaz-wonder-4', { width: 5000, height: 5000 }), 'x4');
    assert.equal(largestFactor('nano-banana-pro', { width: 100, height: 100 }), undefined);
  });

  it('refuses a factor past the cap, naming the largest one allowed', () => {
    assert.equal(factorProblem('topaz-text-refine', 'x8', 1024), undefined);
    const over = factorProblem('topaz-text-refine', 'x8', 1500);
    assert.match(over ?? '', /12000 px, over the 8192 px limit; the largest factor for this image is x4/);
    assert.match(factorProblem('topaz-standard-2', 'x2', 5000) ?? '', /too large for topaz-standard-2/);
    assert.match(factorProblem('topaz-wonder-4', 'x8', 10) ?? '', /takes x2, x4, not x8/);
    assert.equal(factorProblem('topaz-wonder-4', 'x4', 5000), undefined);
  });

  it('checks the v2 fields with the others, and sums them up for the panel', () => {
    assert.equal(paramsProblem({ model: 'topaz-wonder-4', upscaleFactor: 'x4' }), undefined);
    assert.match(paramsProblem({ model: 'nope' as never }) ?? '', /model must be one of/);
    assert.match(paramsProblem({ model: 'topaz-wonder-4', upscaleFactor: 'x8' }) ?? '', /not x8/);
    assert.match(paramsProblem({ model: 'topaz-wonder-3-5', enhancementStrength: 'max' as never }) ?? '', /low, medium or high/);
    assert.equal(paramsSummary({ model: 'topaz-text-refine', upscaleFactor: 'x4' }), 'topaz-text-refine · x4');
    assert.equal(paramsSummary({ model: 'nano-banana-pro', resolutionTier: '1K', upscaleFactor: 'x4' }), 'nano-banana-pro · 1K');
    assert.equal(paramsSummary({ model: 'topaz-standard-2', resolutionTier: '2K', enhancementStrength: 'medium' }), 'topaz-standard-2 · x2');
    assert.equal(paramsSummary({ model: 'topaz-wonder-3-5', upscaleFactor: 'x4', enhancementStrength: 'high' }), 'topaz-wonder-3-5 · x4 · strength high');
    assert.deepEqual(outputSize({ model: 'topaz-text-refine', upscaleFactor: 'x4' }, { width: 30, height: 20 }), { width: 120, height: 80 });
    assert.equal(outputSize({ model: 'nano-banana-pro' }, { width: 30, height: 20 }), undefined);
  });

  it('lists for every model which kind it is and which options it takes', () => {
    assert.deepEqual(Object.entries(v2Models).filter(([, m]) => m.prompt).map(([id]) => id), ['topaz-bloom-2', 'topaz-redefine']);
    assert.deepEqual(Object.entries(v2Models).filter(([, m]) => m.kind === 'faithful').map(([id]) => id), ['topaz-standard-2', 'topaz-text-refine']);
  });
});

describe('Ideogram v2 upscalers: the answers', () => {
  it('reads a synchronous answer and an accepted asynchronous one', () => {
    const sync = parseGeneration({ generation_id: 'g1', generation_kind: 'sampling', data: [{ url: 'https://x/1.png', width: 400, height: 200, is_image_safe: true, seed: 3 }] });
    assert.ok(sync.kind === 'images');
    assert.deepEqual(sync.images.map((i) => [i.url, i.resolution, i.seed, i.isImageSafe]), [['https://x/1.png', '400x200', 3, true]]);
    const accepted = parseGeneration({ generation_id: 'g2' });
    assert.ok(accepted.kind === 'task');
    assert.equal(accepted.taskId, 'g2');
    assert.equal(accepted.status, 'submitted');
  });

  it('reads every status of a polled generation', () => {
    const pending = parseGeneration({ generation_id: 'g', status: 'pending', created: '2026-12-01T00:00:00Z' });
    assert.ok(pending.kind === 'task' && pending.status === 'processing');
    const done = parseGeneration({
      generation_id: 'g',
      status: 'completed',
      response_type: 'url',
      usage_cost_usd_micros: 48000,
      data: [{ object_type: 'image', url: 'https://x/a.png', resolution: '4096x4096', is_image_safe: true }, { object_type: 'video', url: 'https://x/v.mp4' }],
    });
    assert.ok(done.kind === 'task' && done.status === 'succeed');
    assert.equal(done.usdMicros, 48000);
    assert.deepEqual(done.images.map((i) => i.url), ['https://x/a.png']);
    const failed = parseGeneration({ generation_id: 'g', status: 'failed', failure_reason: 'image could not be processed' });
    assert.ok(failed.kind === 'task' && failed.status === 'failed');
    assert.equal(failed.message, 'image could not be processed');
    const silent = parseGeneration({ generation_id: 'g', status: 'failed' });
    assert.ok(silent.kind === 'task' && silent.status === 'failed' && silent.message === undefined);
    const unsafe = parseGeneration({ generation_id: 'g', status: 'completed', data: [{ url: '', is_image_safe: false }] });
    assert.ok(unsafe.kind === 'task' && unsafe.images[0].isImageSafe === false);
  });

  it('leaves anything else unknown or an error', () => {
    assert.equal(parseGeneration({ generation_id: 'g', status: 'exploded' }).kind, 'unknown');
    assert.equal(parseGeneration({ data: [] }).kind, 'unknown');
    assert.equal(parseGeneration([]).kind, 'unknown');
    const error = parseGeneration({ error: 'upscale_factor must be one of x2, x4, x8' });
    assert.ok(error.kind === 'error' && /upscale_factor/.test(error.message));
    const negative = parseGeneration({ generation_id: 'g', status: 'completed', usage_cost_usd_micros: -1, data: [] });
    assert.ok(negative.kind === 'task' && negative.usdMicros === undefined);
  });

  it('reads a price quote, never taking an estimate for exact', () => {
    assert.deepEqual(parseQuote({ object: 'price_quote', billing_identifier: 'topaz_text_refine_upscale', quantity: 4, usd_micros: 40000, credit_millis: 4000, qualifier: 'exact' }), {
      usdMicros: 40000,
      qualifier: 'exact',
      quantity: 4,
      billingIdentifier: 'topaz_text_refine_upscale',
    });
    assert.deepEqual(parseQuote({ object: 'price_quote', usd_micros: 1000, qualifier: 'maybe', upper_bound_usd_micros: 5000 }), { usdMicros: 1000, qualifier: 'estimate', upperBoundUsdMicros: 5000 });
    assert.equal(parseQuote({ object: 'price_quote', qualifier: 'exact' }), undefined);
    assert.equal(parseQuote({ generation_id: 'g' }), undefined);
    assert.equal(parseQuote('text'), undefined);
  });
});
