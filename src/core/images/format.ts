import { ascii, u16be, u32be } from './bytes';
import { hasPngSignature } from './png';
import { vp8lSize, vp8Size, vp8xCanvas } from './webp';

/** Image formats told apart by their first bytes, never by the file name. */
export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp' | 'svg';

/** The formats the upscale service accepts and returns. */
export type UpscalableFormat = 'png' | 'jpeg' | 'webp';

export const formatInfo: Record<UpscalableFormat, { mime: string; ext: string }> = {
  png: { mime: 'image/png', ext: 'png' },
  jpeg: { mime: 'image/jpeg', ext: 'jpg' },
  webp: { mime: 'image/webp', ext: 'webp' },
};

export function sniffFormat(head: Uint8Array): ImageFormat | undefined {
  const b = head;
  if (hasPngSignature(b)) {
    return 'png';
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    return 'jpeg';
  }
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') {
    return 'webp';
  }
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) {
    return 'gif';
  }
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) {
    return 'bmp';
  }
  const text = ascii(b, 0, Math.min(b.length, 512)).trimStart().toLowerCase();
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg'))) {
    return 'svg';
  }
  return undefined;
}

export function isUpscalable(f: ImageFormat | undefined): f is UpscalableFormat {
  return f === 'png' || f === 'jpeg' || f === 'webp';
}

export interface Size {
  width: number;
  height: number;
}

/** Width and height from the header of a PNG, JPEG or WebP (the first 64 KiB suffice in practice). */
export function readSize(b: Uint8Array): Size | undefined {
  switch (sniffFormat(b)) {
    case 'png':
      return b.length >= 24 ? { width: u32be(b, 16), height: u32be(b, 20) } : undefined;
    case 'jpeg':
      return jpegSize(b);
    case 'webp':
      return webpSize(b);
    default:
      return undefined;
  }
}

function jpegSize(b: Uint8Array): Size | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) {
      i++;
      continue;
    }
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    const length = u16be(b, i + 2);
    // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: u16be(b, i + 5), width: u16be(b, i + 7) };
    }
    i += 2 + length;
  }
  return undefined;
}

function webpSize(b: Uint8Array): Size | undefined {
  if (b.length < 30) {
    return undefined;
  }
  const chunk = ascii(b, 12, 4);
  // The first chunk's payload starts at 20; 30 bytes cover what each reader needs of it.
  if (chunk === 'VP8 ') {
    return vp8Size(b, 20);
  }
  if (chunk === 'VP8L') {
    return vp8lSize(b, 20);
  }
  if (chunk === 'VP8X') {
    return vp8xCanvas(b, 20);
  }
  return undefined;
}
