import * as assert from 'node:assert/strict';
import { summaryMarkdown, SummaryJob } from '../../src/core/summary/markdown';

const usd = { perResult: 0.06, currency: 'USD' };

const jobs: SummaryJob[] = [
  {
    file: 'icons/app.png',
    done: true,
    before: { width: 64, height: 64, bytes: 900 },
    after: { width: 128, height: 128, bytes: 3500 },
    preset: 'UI, logo and text',
    params: { resemblance: 90, detail: 20, magicPrompt: 'OFF' },
    seed: 12345,
    service: 'API gateway',
    billed: 1,
    price: usd,
  },
  {
    file: 'photos/cat|dog.jpg',
    done: true,
    before: { width: 800, height: 600, bytes: 150_000 },
    after: { width: 1600, height: 1200, bytes: 1_300_000 },
    params: { resemblance: 60, detail: 70, magicPrompt: 'AUTO', numImages: 3 },
    service: 'Ideogram',
    billed: 3,
    price: usd,
  },
  { file: 'photos/broken.jpg', done: false, params: {}, billed: 0, price: usd },
];

describe('the summary for a pull request', () => {
  it('is a Markdown table of every image with a result, its totals, and a count of the others', () => {
    assert.equal(
      summaryMarkdown(jobs),
      [
        '| File | Size (W×H) | Bytes | Preset or parameters | Seed | Service | Price |',
        '| --- | --- | --- | --- | ---: | --- | ---: |',
        '| `icons/app.png` | 64×64 → 128×128 | 900 B → 3.4 KB | UI, logo and text | 12345 | API gateway | 0.06 USD |',
        '| `photos/cat\\|dog.jpg` | 800×600 → 1600×1200 | 146.5 KB → 1.2 MB | resemblance 60 · detail 70 · magic prompt AUTO · 3 images · random seed | — | Ideogram | 0.18 USD |',
        '| **Total: 2 images** |  | **147.4 KB → 1.2 MB** |  |  |  | **0.24 USD** |',
        '',
        '1 image has no result (failed or cancelled) and is not listed.',
        '',
      ].join('\n'),
    );
  });

  it('sums each currency apart, and says so for a single image', () => {
    const yuan = { ...jobs[0], file: 'a.png', price: { perResult: 0.5, currency: 'CNY' } };
    const text = summaryMarkdown([jobs[0], yuan]);
    assert.match(text, /\*\*0\.06 USD \+ 0\.5 CNY\*\* \|\n$/);
    assert.match(summaryMarkdown([jobs[0]]), /\*\*Total: 1 image\*\*/);
  });

  it('shows the model and factor of Ideogram\'s current upscalers and what the service said it billed', () => {
    const v2: SummaryJob = {
      file: 'icons/logo.png',
      done: true,
      before: { width: 100, height: 50, bytes: 2000 },
      after: { width: 400, height: 200, bytes: 30_000 },
      preset: "Settings' defaults",
      params: { model: 'topaz-text-refine', upscaleFactor: 'x4' },
      service: "Ideogram's current upscalers",
      billed: 1,
      price: usd,
      billedUsdMicros: 30_000,
    };
    const text = summaryMarkdown([v2, jobs[0]]);
    assert.match(text, /\| `icons\/logo\.png` \| 100×50 → 400×200 \| 2 KB → 29\.3 KB \| topaz-text-refine · x4 \| — \| Ideogram's current upscalers \| 0\.03 USD \|/);
    assert.match(text, /\*\*0\.09 USD\*\* \|\n$/);
  });
});
