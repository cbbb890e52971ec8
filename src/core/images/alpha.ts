import type { Pixels } from './codecs';
import type { Size } from './format';

/** True when some pixel is not fully opaque. */
export function hasMeaningfulAlpha(p: Pixels): boolean {
  const d = p.data;
  for (let i = 3; i < d.length; i += 4) {
    if (d[i] < 255) {
      return true;
    }
  }
  return false;
}

/** True when every pixel has the same alpha (an opaque image, or one flattened by the service). */
export function alphaIsFlat(p: Pixels): boolean {
  const d = p.data;
  if (d.length < 4) {
    return true;
  }
  const first = d[3];
  for (let i = 7; i < d.length; i += 4) {
    if (d[i] !== first) {
      return false;
    }
  }
  return true;
}

/**
 * Where a result lies on its original: the original's coordinates (in its pixels) of the result's
 * top-left corner, and result pixels per original pixel. A service that crops gives a window
 * inside the original; one that pads, a window larger than it.
 */
export interface Window {
  left: number;
  top: number;
  scaleX: number;
  scaleY: number;
}

/** The whole original stretched onto the whole result. */
export function wholeWindow(source: Size, result: Size): Window {
  return { left: 0, top: 0, scaleX: result.width / source.width, scaleY: result.height / source.height };
}

/**
 * Gives `result` the transparency of `source`: the source's alpha channel, seen through `window`
 * (by default the whole source on the whole result), is scaled with a Lanczos-3 filter and put
 * with the result's colours. Result pixels outside the source (a service's padding) become
 * transparent, since the original had nothing there.
 */
export function rebuildAlpha(source: Pixels, result: Pixels, window: Window = wholeWindow(source, result)): Pixels {
  checkPixels(source);
  checkPixels(result);
  const { width, height } = result;
  const alpha = new Uint8ClampedArray(source.width * source.height);
  for (let i = 0, j = 3; i < alpha.length; i++, j += 4) {
    alpha[i] = source.data[j];
  }
  const scaled = resampleChannels(alpha, source.width, source.height, 1, width, height, window);
  const data = new Uint8ClampedArray(width * height * 4);
  const rgb = result.data;
  for (let i = 0, j = 0; i < scaled.length; i++, j += 4) {
    data[j] = rgb[j];
    data[j + 1] = rgb[j + 1];
    data[j + 2] = rgb[j + 2];
    data[j + 3] = scaled[i];
  }
  return { width, height, data };
}

/**
 * Scales RGBA pixels to `size` with a Lanczos-3 filter (widened when shrinking, so that it also
 * averages like an area filter). Colours are weighted by alpha (premultiplied) so that transparent
 * pixels do not bleed their hidden colour into the edges.
 */
export function resizePixels(p: Pixels, size: Size): Pixels {
  checkPixels(p);
  const { width, height } = size;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new RangeError(`cannot resize to ${width}×${height}`);
  }
  if (width === p.width && height === p.height) {
    return { width, height, data: new Uint8ClampedArray(p.data) };
  }
  const out = resampleFloat(p.data, p.width, p.height, 4, width, height, true);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < out.length; i += 4) {
    const a = clamp255(out[i + 3]);
    if (a <= 0) {
      continue; // fully transparent: colour left black
    }
    const k = 255 / a;
    data[i] = Math.round(clampTo(out[i], a) * k);
    data[i + 1] = Math.round(clampTo(out[i + 1], a) * k);
    data[i + 2] = Math.round(clampTo(out[i + 2], a) * k);
    data[i + 3] = Math.round(a);
  }
  return { width, height, data };
}

/**
 * Scales an interleaved 8-bit image of `channels` channels with a separable Lanczos-3 filter.
 * Values are rounded and clamped to 0..255.
 */
function resampleChannels(src: ArrayLike<number>, srcWidth: number, srcHeight: number, channels: number, width: number, height: number, window?: Window): Uint8ClampedArray {
  const out = resampleFloat(src, srcWidth, srcHeight, channels, width, height, false, window);
  const bytes = new Uint8ClampedArray(out.length);
  for (let i = 0; i < out.length; i++) {
    bytes[i] = Math.round(out[i]); // Uint8ClampedArray clamps to 0..255
  }
  return bytes;
}

/** Filter taps for one axis: output i reads `taps` inputs, from `index[i * taps]` on, with `weight`. */
interface Taps {
  /** Input index of every tap, edge-clamped, `taps` per output. */
  index: Int32Array;
  weight: Float32Array;
  taps: number;
}

const LOBES = 3;

function lanczos(x: number): number {
  if (x === 0) {
    return 1;
  }
  if (x <= -LOBES || x >= LOBES) {
    return 0;
  }
  const px = Math.PI * x;
  return (LOBES * Math.sin(px) * Math.sin(px / LOBES)) / (px * px);
}

/** `offset`: the source coordinate of the output's first edge; `zoom`: output pixels per source pixel. */
function taps(srcLength: number, dstLength: number, offset = 0, zoom = dstLength / srcLength): Taps {
  const scale = 1 / zoom;
  const stretch = Math.max(scale, 1); // widen the kernel when shrinking
  const support = LOBES * stretch;
  const count = Math.ceil(support) * 2 + 1;
  const index = new Int32Array(dstLength * count);
  const weight = new Float32Array(dstLength * count);
  for (let i = 0; i < dstLength; i++) {
    const center = offset + (i + 0.5) * scale - 0.5;
    if (center < -0.5 || center >= srcLength - 0.5) {
      continue; // outside the source: no weights, so the output stays 0
    }
    const first = Math.floor(center - support) + 1;
    let sum = 0;
    for (let k = 0; k < count; k++) {
      const w = lanczos((first + k - center) / stretch);
      weight[i * count + k] = w;
      index[i * count + k] = Math.min(Math.max(first + k, 0), srcLength - 1);
      sum += w;
    }
    if (sum !== 0) {
      for (let k = 0; k < count; k++) {
        weight[i * count + k] /= sum;
      }
    }
  }
  return { index, weight, taps: count };
}

/**
 * Separable resampling into floats. With `premultiply` (4 channels only) the colour channels are
 * weighted by alpha on the way in, so the output is premultiplied.
 */
function resampleFloat(src: ArrayLike<number>, srcWidth: number, srcHeight: number, channels: number, width: number, height: number, premultiply = false, window?: Window): Float32Array {
  if (src.length !== srcWidth * srcHeight * channels || srcWidth <= 0 || srcHeight <= 0) {
    throw new RangeError('pixel data does not match its size');
  }
  const c = channels;
  if (premultiply && c !== 4) {
    throw new RangeError('premultiplying needs RGBA');
  }
  // Horizontal pass: srcHeight rows of `width` outputs.
  const tx = taps(srcWidth, width, window?.left, window?.scaleX);
  const mid = new Float32Array(width * srcHeight * c);
  for (let y = 0; y < srcHeight; y++) {
    const row = y * srcWidth * c;
    const outRow = y * width * c;
    for (let x = 0; x < width; x++) {
      const base = x * tx.taps;
      if (premultiply) {
        let r = 0;
        let g = 0;
        let b = 0;
        let a = 0;
        for (let k = 0; k < tx.taps; k++) {
          const at = row + tx.index[base + k] * 4;
          const alpha = src[at + 3];
          const wa = (tx.weight[base + k] * alpha) / 255;
          r += src[at] * wa;
          g += src[at + 1] * wa;
          b += src[at + 2] * wa;
          a += alpha * tx.weight[base + k];
        }
        const o = outRow + x * 4;
        mid[o] = r;
        mid[o + 1] = g;
        mid[o + 2] = b;
        mid[o + 3] = a;
        continue;
      }
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = 0; k < tx.taps; k++) {
          acc += src[row + tx.index[base + k] * c + ch] * tx.weight[base + k];
        }
        mid[outRow + x * c + ch] = acc;
      }
    }
  }
  // Vertical pass: whole rows at a time, for memory locality.
  const ty = taps(srcHeight, height, window?.top, window?.scaleY);
  const rowLength = width * c;
  const out = new Float32Array(rowLength * height);
  for (let y = 0; y < height; y++) {
    const base = y * ty.taps;
    const outRow = y * rowLength;
    for (let k = 0; k < ty.taps; k++) {
      const w = ty.weight[base + k];
      if (w === 0) {
        continue;
      }
      const inRow = ty.index[base + k] * rowLength;
      for (let i = 0; i < rowLength; i++) {
        out[outRow + i] += mid[inRow + i] * w;
      }
    }
  }
  return out;
}

function checkPixels(p: Pixels): void {
  if (!(p.width > 0 && p.height > 0) || p.data.length !== p.width * p.height * 4) {
    throw new RangeError(`pixel data does not match ${p.width}×${p.height}`);
  }
}

function clamp255(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

function clampTo(v: number, max: number): number {
  return v < 0 ? 0 : v > max ? max : v;
}
