import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { t } from '../i18n';
import { DamagedImage } from './bytes';
import { sniffFormat, UpscalableFormat } from './format';

/** RGBA pixels, 8 bits a channel, rows top to bottom. */
export interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export interface Codecs {
  decode(bytes: Uint8Array): Promise<Pixels & { format: UpscalableFormat }>;
  encode(pixels: Pixels, format: UpscalableFormat, options?: { quality?: number }): Promise<Uint8Array>;
  /**
   * Scales to exactly `size` with a Lanczos-3 filter, colours weighted by alpha (so transparent
   * pixels do not bleed their hidden colour into edges) and blended in linear light.
   */
  resize(pixels: Pixels, size: { width: number; height: number }): Promise<Pixels>;
}

/** Where each codec's WebAssembly file lies, relative to the folder `locate` is given. */
export const wasmFiles = {
  png: 'png/codec/pkg/squoosh_png_bg.wasm',
  jpegDec: 'jpeg/codec/dec/mozjpeg_dec.wasm',
  jpegEnc: 'jpeg/codec/enc/mozjpeg_enc.wasm',
  webpDec: 'webp/codec/dec/webp_dec.wasm',
  webpEnc: 'webp/codec/enc/webp_enc_simd.wasm',
  resize: 'resize/lib/resize/pkg/squoosh_resize_bg.wasm',
} as const;

let loading: Promise<Codecs> | undefined;

/**
 * Loads the WebAssembly codecs (jSquash: Squoosh's libpng/oxipng, MozJPEG and libwebp, and its
 * resampler) on first use, each one's WebAssembly when it is first needed. `wasmRoot` is the folder that holds the `@jsquash` packages' files as laid out in `wasmFiles`.
 */
export function loadCodecs(wasmRoot = jsquashRoot()): Promise<Codecs> {
  loading ??= instantiate(wasmRoot).catch((err: Error) => {
    loading = undefined;
    throw unloadable(err);
  });
  return loading;
}

function unloadable(err: Error): Error {
  return new Error(t('The image codecs could not be loaded ({0}); reinstall the extension.', err.message), { cause: err });
}

/** Beside the bundle (dist/wasm, as packaged) or, when run from sources, the installed packages. */
function jsquashRoot(): string {
  const packaged = join(__dirname, 'wasm');
  if (existsSync(packaged)) return packaged;
  return dirname(dirname(require.resolve('@jsquash/png/package.json')));
}

async function instantiate(root: string): Promise<Codecs> {
  // @types/node 20 does not declare the WebAssembly global that Node has.
  const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } }).WebAssembly;
  const module = async (file: string) => new wasm.Module(await readFile(join(root, file))) as never;
  // ImageData is a browser type that the codecs construct; Node has none.
  const g = globalThis as { ImageData?: unknown };
  g.ImageData ??= class ImageData {
    readonly colorSpace = 'srgb';
    constructor(
      readonly data: Uint8ClampedArray,
      readonly width: number,
      readonly height: number,
    ) {}
  };
  const [pngDec, pngEnc, jpegDec, jpegEnc, webpDec, webpEnc, resize] = await Promise.all([
    import('@jsquash/png/decode.js'),
    import('@jsquash/png/encode.js'),
    import('@jsquash/jpeg/decode.js'),
    import('@jsquash/jpeg/encode.js'),
    import('@jsquash/webp/decode.js'),
    import('@jsquash/webp/encode.js'),
    import('@jsquash/resize'),
  ]);
  // Each codec's WebAssembly starts the first time it is needed: a run of PNGs never holds the
  // JPEG and WebP codecs' memory. A start that fails is tried again the next time.
  const ready = (start: () => Promise<unknown>) => {
    let started: Promise<unknown> | undefined;
    return () =>
      (started ??= start().catch((err: Error) => {
        started = undefined;
        throw unloadable(err);
      }));
  };
  const png = ready(async () => {
    const compiled = await module(wasmFiles.png);
    await Promise.all([pngDec.init(compiled), pngEnc.init(compiled)]);
  });
  const started = {
    png: { decode: png, encode: png },
    jpeg: { decode: ready(async () => jpegDec.init(await module(wasmFiles.jpegDec))), encode: ready(async () => jpegEnc.init(await module(wasmFiles.jpegEnc))) },
    webp: { decode: ready(async () => webpDec.init(await module(wasmFiles.webpDec))), encode: ready(async () => webpEnc.init(await module(wasmFiles.webpEnc))) },
  };
  // Given compiled: left to itself, the resampler would fetch its .wasm from beside its script.
  const resizer = ready(async () => resize.initResize(await module(wasmFiles.resize)));
  return {
    async decode(bytes) {
      const format = sniffFormat(bytes);
      if (format === 'png' || format === 'jpeg' || format === 'webp') await started[format].decode();
      // A copy of exactly these bytes: a Node Buffer's .buffer may be a larger shared pool.
      const buffer = Uint8Array.prototype.slice.call(bytes).buffer as ArrayBuffer;
      let image: ImageDataLike;
      try {
        switch (format) {
          case 'png':
            image = await pngDec.default(buffer);
            break;
          case 'jpeg':
            // Pixels as stored, not turned by the EXIF orientation: sizes then agree with the file's
            // header, and a replace keeps the orientation tag instead of turning the image twice.
            image = await jpegDec.default(buffer, { preserveOrientation: false });
            break;
          case 'webp':
            image = await webpDec.default(buffer);
            break;
          default:
            throw new DamagedImage(t('it is not a PNG, JPEG or WebP file'));
        }
      } catch (err) {
        if (err instanceof DamagedImage) throw err;
        throw new DamagedImage(t('the {0} data could not be decoded ({1})', String(format).toUpperCase(), (err as Error).message));
      }
      return { width: image.width, height: image.height, data: image.data, format };
    },
    async encode(pixels, format, options = {}) {
      await started[format].encode();
      const image = new (g.ImageData as new (d: Uint8ClampedArray, w: number, h: number) => ImageDataLike)(pixels.data, pixels.width, pixels.height);
      switch (format) {
        case 'png':
          return new Uint8Array(await pngEnc.default(image as never));
        case 'jpeg':
          return new Uint8Array(await jpegEnc.default(image as never, { quality: options.quality ?? 90 }));
        case 'webp':
          return new Uint8Array(await webpEnc.default(image as never, { quality: options.quality ?? 90 }));
      }
    },
    async resize(pixels, size) {
      if (!(Number.isInteger(size.width) && Number.isInteger(size.height) && size.width > 0 && size.height > 0)) throw new RangeError(`cannot resize to ${size.width}×${size.height}`);
      // The resampler reads the whole buffer behind the pixels: give it one of exactly them.
      const image = new (g.ImageData as new (d: Uint8ClampedArray, w: number, h: number) => ImageDataLike)(new Uint8ClampedArray(pixels.data), pixels.width, pixels.height);
      await resizer();
      const out = await resize.default(image as never, { width: size.width, height: size.height, method: 'lanczos3', fitMethod: 'stretch', premultiply: true, linearRGB: false });
      return { width: out.width, height: out.height, data: out.data };
    },
  };
}

interface ImageDataLike {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}
