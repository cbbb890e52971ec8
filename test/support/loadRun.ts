import type { FileFault } from '../emulator/server';

/** The load run: 200 images, a tenth of them given the faults the real service produces. */
export const loadRun = { folder: 'load', count: 200 };
const fixtures = ['logo.png', 'photo.jpg', 'banner.webp'];
export const loadFixture = (i: number) => fixtures[i % 3];
export const loadName = (i: number) => `image-${String(i).padStart(3, '0')}${fixtures[i % 3].slice(fixtures[i % 3].lastIndexOf('.'))}`;

/** Images whose tasks are still at the service when the first phase ends. */
export const slowTasks = [60, 61, 62];

/** Faults by image number; those that end failed, whatever is retried, are listed apart. */
export const loadFaults: Record<number, FileFault> = {
  ...Object.fromEntries([5, 25, 45, 65].map((i) => [i, { status: 429, body: { error: 'Too many requests' }, headers: { 'retry-after': '1' }, times: 1 }])),
  ...Object.fromEntries([15, 35, 55, 75].map((i) => [i, { status: 429, body: { error: 'Too many requests' }, times: 1 }])),
  ...Object.fromEntries([85, 95, 105, 115].map((i) => [i, { status: 429, body: { error: 'Too many images in flight', reject_reason: 'inflight_limit' }, times: 1 }])),
  ...Object.fromEntries([125, 135, 145].map((i) => [i, { status: 500, body: { error: 'Internal error' } }])),
  ...Object.fromEntries([155, 165].map((i) => [i, { hang: true }])),
  ...Object.fromEntries([175, 185, 195].map((i) => [i, { failTask: true }])),
  // Tasks long enough to be at the service when the window reloads: resumed by polling.
  ...Object.fromEntries(slowTasks.map((i) => [i, { taskMs: 45_000 }])),
};
export const loadFailing = [125, 135, 145, 155, 165, 175, 185, 195];
