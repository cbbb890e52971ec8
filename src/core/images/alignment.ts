import { resizePixels, Window } from './alpha';
import type { Pixels } from './codecs';

/**
 * Where an opaque result lies on its transparent original, found by matching the result's colours
 * with the original laid on the background that fits best (the colour the service flattened it
 * on). Services crop or pad to the aspect ratios they support, so the result is taken for a
 * scaled window of the original.
 */
export interface Alignment {
  /** Set only when the match is certain: clearly better than any alignment a few pixels away. */
  window?: Window;
  /** Mean colour difference (0..255) of the best match, and of the best one clearly elsewhere, at a coarse size. */
  error: number;
  runnerUp: number;
}

/** A good upscale differs from its original by a few levels once both are brought to one size. */
const maxError = 24;
/** The runner-up must be worse by this factor and margin, or the place is not certain. */
const distinctFactor = 2;
const distinctMargin = 1;
/** Positions that move the shape by less than this (in working pixels) count as the same place. */
const samePlace = 2.5;
/** Working pixels along the original's edges left out of the comparison. */
const margin = 3;

interface Candidate {
  s: number;
  left: number;
  top: number;
  error: number;
}

/**
 * The original and the result brought to a working size. The original's pixels are kept as
 * premultiplied colour and coverage: a flattened result shows `colour + (1 - coverage) × background`.
 */
interface Grid {
  /** Working pixels per original pixel, per axis. */
  kx: number;
  ky: number;
  /** The pixels compared: their original coordinates, premultiplied colours and 1 - alpha. */
  u: Float64Array;
  v: Float64Array;
  rgb: Float32Array;
  clear: Float32Array;
  count: number;
  result: Pixels;
  /** Working result pixels per result pixel. */
  rx: number;
  ry: number;
  /** The shape's bounds (where it is not transparent), in original pixels. */
  bounds: [number, number, number, number];
  /** Room for the samples of one position. */
  seen: Float32Array;
}

export function findWindow(source: Pixels, result: Pixels): Alignment {
  const sx = result.width / source.width;
  const sy = result.height / source.height;
  const coarse = grid(source, result, 40, (sx + sy) / 2, 2000);
  if (!coarse) return { error: Infinity, runnerUp: Infinity };
  // A crop or a pad of one side keeps the other side's scale (given exactly, so that the plain
  // case is met where it is); a crop of one side and a pad of the other lies between; a crop or
  // pad of every side, a few percent beyond.
  const scales = sx === sy ? [sx] : [sx, sy];
  for (let s = Math.min(sx, sy) * 0.94; s <= Math.max(sx, sy) * 1.06; s *= 1.03) scales.push(s);
  const tried: Candidate[] = [];
  for (const s of scales) {
    for (const left of offsets(source.width, result.width / s, coarse.kx)) {
      for (const top of offsets(source.height, result.height / s, coarse.ky)) tried.push({ s, left, top, error: mismatch(coarse, s, left, top) });
    }
  }
  tried.sort((a, b) => a.error - b.error);
  const best = tried[0];
  const runnerUp = tried.find((c) => displacement(coarse, best, c) >= samePlace)?.error ?? Infinity;
  if (!(best.error <= maxError && runnerUp >= best.error * distinctFactor + distinctMargin)) {
    return { error: best.error, runnerUp };
  }
  const fine = grid(source, result, 384, best.s, 40000) ?? coarse;
  const found = refine(fine, best, 1 / coarse.kx);
  return { window: { left: found.left, top: found.top, scaleX: found.s, scaleY: found.s }, error: best.error, runnerUp };
}

/** Window origins to try on one axis: from one end of the original to the other, a working pixel apart. */
function offsets(sourceLength: number, windowLength: number, k: number): number[] {
  const slack = 2 / k;
  const from = Math.min(0, sourceLength - windowLength) - slack;
  const to = Math.max(0, sourceLength - windowLength) + slack;
  const step = Math.max(1 / k, (to - from) / 64); // a bound on the work for a very different size
  const out: number[] = [];
  for (let o = from; o <= to + 1e-9; o += step) out.push(o);
  return out;
}

function grid(source: Pixels, result: Pixels, longSide: number, scale: number, maxPoints: number): Grid | undefined {
  const k = Math.min(1, longSide / Math.max(source.width, source.height));
  const ow = Math.max(1, Math.round(source.width * k));
  const oh = Math.max(1, Math.round(source.height * k));
  const small = resizePixels(source, { width: ow, height: oh });
  const kx = ow / source.width;
  const ky = oh / source.height;
  let opaque = 0;
  for (let i = 0; i < ow * oh; i++) if (small.data[i * 4 + 3] >= 250) opaque++;
  if (opaque < 16) return undefined;
  // A pad's colour bleeds this far into the filtered result: the original's rim is left out.
  const rim = ow > 4 * margin && oh > 4 * margin ? margin : 0;
  const kept: number[] = [];
  for (let y = rim; y < oh - rim; y++) for (let x = rim; x < ow - rim; x++) kept.push(y * ow + x);
  const stride = Math.max(1, Math.ceil(kept.length / maxPoints));
  const count = Math.floor((kept.length - 1) / stride) + 1;
  const u = new Float64Array(count);
  const v = new Float64Array(count);
  const rgb = new Float32Array(count * 3);
  const clear = new Float32Array(count);
  const bounds: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let n = 0; n < count; n++) {
    const i = kept[n * stride];
    const a = small.data[i * 4 + 3] / 255;
    u[n] = ((i % ow) + 0.5) / kx;
    v[n] = (Math.floor(i / ow) + 0.5) / ky;
    for (let c = 0; c < 3; c++) rgb[n * 3 + c] = small.data[i * 4 + c] * a;
    clear[n] = 1 - a;
    if (a > 0.5) {
      bounds[0] = Math.min(bounds[0], u[n]);
      bounds[1] = Math.min(bounds[1], v[n]);
      bounds[2] = Math.max(bounds[2], u[n]);
      bounds[3] = Math.max(bounds[3], v[n]);
    }
  }
  // Filtered to the original's working density, then enlarged smoothly: sampling between its
  // pixels then blurs alike at every position, where sampling the small one would favour
  // positions that fall on its pixel centres.
  const rw = Math.max(1, Math.round((result.width * kx) / scale));
  const rh = Math.max(1, Math.round((result.height * ky) / scale));
  const enlarge = Math.max(1, Math.min(4, Math.floor(1024 / Math.max(rw, rh))));
  const smallResult = resizePixels(resizePixels(result, { width: rw, height: rh }), { width: rw * enlarge, height: rh * enlarge });
  return { kx, ky, u, v, rgb, clear, count, result: smallResult, rx: (rw * enlarge) / result.width, ry: (rh * enlarge) / result.height, bounds, seen: new Float32Array(count * 3) };
}

/**
 * Mean colour difference between the result and the original laid on a background, over the
 * pixels that fall inside the result. The background is the one that fits best (the service's
 * flattening colour). Pixels a crop cut off are no evidence either way, but a position must keep
 * most of them to count.
 */
function mismatch(g: Grid, s: number, left: number, top: number): number {
  const r = g.result;
  const w = r.width;
  const h = r.height;
  const d = r.data;
  const seen = g.seen;
  const fit = [0, 0, 0];
  let weight = 0;
  for (let p = 0; p < g.count; p++) {
    const x = (g.u[p] - left) * s * g.rx - 0.5;
    const y = (g.v[p] - top) * s * g.ry - 0.5;
    if (!(x >= 0 && y >= 0 && x <= w - 1 && y <= h - 1)) {
      seen[p * 3] = -1;
      continue;
    }
    const x0 = Math.min(Math.floor(x), Math.max(0, w - 2));
    const y0 = Math.min(Math.floor(y), Math.max(0, h - 2));
    const fx = Math.min(1, x - x0);
    const fy = Math.min(1, y - y0);
    const a = (y0 * w + x0) * 4;
    const b = (y0 * w + Math.min(x0 + 1, w - 1)) * 4;
    const c = (Math.min(y0 + 1, h - 1) * w + x0) * 4;
    const e = (Math.min(y0 + 1, h - 1) * w + Math.min(x0 + 1, w - 1)) * 4;
    const q = g.clear[p];
    for (let ch = 0; ch < 3; ch++) {
      const upper = d[a + ch] + (d[b + ch] - d[a + ch]) * fx;
      const lower = d[c + ch] + (d[e + ch] - d[c + ch]) * fx;
      const value = upper + (lower - upper) * fy;
      seen[p * 3 + ch] = value;
      fit[ch] += q * (value - g.rgb[p * 3 + ch]);
    }
    weight += q * q;
  }
  const background = fit.map((f) => (weight > 1 ? f / weight : 0));
  let sum = 0;
  let n = 0;
  for (let p = 0; p < g.count; p++) {
    if (seen[p * 3] < 0) continue;
    const q = g.clear[p];
    for (let ch = 0; ch < 3; ch++) sum += Math.abs(seen[p * 3 + ch] - g.rgb[p * 3 + ch] - q * background[ch]);
    n++;
  }
  return n >= Math.max(16, g.count * 0.2) ? sum / (n * 3) : Infinity;
}

/** How far apart (in working pixels) two positions put the corners of the opaque part. */
function displacement(g: Grid, a: Candidate, b: Candidate): number {
  const [u0, v0, u1, v1] = g.bounds;
  let most = 0;
  for (const [u, k, la, lb] of [[u0, g.kx, a.left, b.left], [u1, g.kx, a.left, b.left], [v0, g.ky, a.top, b.top], [v1, g.ky, a.top, b.top]]) {
    // In original pixels, as seen through the first position's scale, then in working pixels.
    const moved = Math.abs((u - la) * a.s - (u - lb) * b.s) / a.s;
    most = Math.max(most, moved * k);
  }
  return most;
}

/** A pattern search from the coarse position, halving its steps down to a tenth of a working pixel. */
function refine(g: Grid, start: Candidate, coarseStep: number): Candidate {
  let best = { ...start, error: mismatch(g, start.s, start.left, start.top) };
  let step = coarseStep;
  let scaleStep = 0.01;
  const finest = 0.1 / Math.max(g.kx, g.ky);
  const mu = (g.bounds[0] + g.bounds[2]) / 2;
  const mv = (g.bounds[1] + g.bounds[3]) / 2;
  while (step >= finest) {
    let moved = false;
    const moves: [number, number, number][] = [[step, 0, 0], [-step, 0, 0], [0, step, 0], [0, -step, 0], [0, 0, scaleStep], [0, 0, -scaleStep]];
    for (const [dl, dt, ds] of moves) {
      // A change of scale keeps the middle of the opaque part in place, so that it moves nothing else.
      const s = best.s * (1 + ds);
      const c = { s, left: mu - (mu - best.left) * (best.s / s) + dl, top: mv - (mv - best.top) * (best.s / s) + dt, error: 0 };
      c.error = mismatch(g, c.s, c.left, c.top);
      if (c.error < best.error) {
        best = c;
        moved = true;
      }
    }
    if (!moved) {
      step /= 2;
      scaleStep /= 2;
    }
  }
  return best;
}
