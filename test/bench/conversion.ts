import { readFile } from 'node:fs/promises';
import { loadCodecs } from '../../src/core/images/codecs';
import { convertImage } from '../../src/core/images/convert';
import { smoothPng } from './images';
import { Figure, judge, median, ms, round } from './report';

const runs = 3;

/**
 * Figure 5: converting a 4-megapixel PNG to `to` (quality 90) through convertImage (what a replace
 * in place uses) against the codecs called directly (decode, then encode). One unmeasured warm-up
 * each, then `runs` of each, alternating; medians compared.
 */
export async function conversionFigure(to: 'jpeg' | 'webp'): Promise<Figure> {
  const bytes = new Uint8Array(await readFile(await smoothPng()));
  const codecs = await loadCodecs();
  const ours = async () => {
    const started = performance.now();
    const out = await convertImage(bytes, to, { quality: 90 });
    return { ms: performance.now() - started, size: out.length };
  };
  const direct = async () => {
    const started = performance.now();
    const pixels = await codecs.decode(bytes);
    const out = await codecs.encode(pixels, to, { quality: 90 });
    return { ms: performance.now() - started, size: out.length };
  };
  await ours();
  await direct();
  const oursMs: number[] = [];
  const directMs: number[] = [];
  let sizes = { ours: 0, direct: 0 };
  for (let i = 0; i < runs; i++) {
    const a = await ours();
    const b = await direct();
    oursMs.push(a.ms);
    directMs.push(b.ms);
    sizes = { ours: a.size, direct: b.size };
  }
  const o = median(oursMs);
  const d = median(directMs);
  const ratio = o / d;
  const name = to === 'jpeg' ? 'JPEG q90' : 'WebP q90';
  return judge(`conversion to ${to === 'jpeg' ? 'JPEG' : 'WebP'}`, `4 MP PNG to ${name}, convertImage ${ms(o)} vs codec direct ${ms(d)} = ${ratio.toFixed(2)}x (medians of ${runs})`, round(ratio, 2), 'x', { op: '<=', limit: 1.1 }, {
    oursMs: oursMs.map((v) => round(v, 1)),
    directMs: directMs.map((v) => round(v, 1)),
    ratio,
    sourceBytes: bytes.length,
    outputBytes: sizes,
  });
}
