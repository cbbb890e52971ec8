import * as vscode from 'vscode';
import { UpscaleParams } from './core/api/params';
import { defaultVariants, VariantRule } from './core/files/variants';
import { gatewayProfile, ideogramProfile, ideogramV2Profile, ServiceKind, ServiceProfile } from './core/api/services';
import { EnhancementStrength, isV2Model, ResolutionTier, strengths, tiers, UpscaleFactor } from './core/api/v2';

export type OutputMode = 'ask' | 'nextToOriginal' | 'replace';

/** Every setting of the extension, read in this one place. */
export interface Settings {
  service: ServiceKind;
  baseUrl: string;
  ideogramBaseUrl: string;
  taskQueryPath: string;
  requestTimeoutMs: number;
  taskTimeoutMs: number;
  output: OutputMode;
  fileNamePattern: string;
  jpegQuality: number;
  keepOriginalSize: boolean;
  /** Images in flight at once across the window (the service's per-organisation limit), counted in results. */
  maxImagesInFlight: number;
  maxUploadBytes: number;
  rebuildTransparency: boolean;
  keepMetadata: 'color' | 'all';
  replaceWhenAspectDiffers: boolean;
  /** Folders, relative to a workspace folder, where a root-relative image path (`/img/a.png`) is also looked for. */
  assetRoots: string[];
  folder: { largeImageLongSide: number; smallImageLongSide: number };
  price: { perResult: number; currency: string; confirmAbove: number; confirmAboveResults: number };
  recordDoneWork: boolean;
  /** How long, and how much, the extension's storage keeps results and backups (0: no limit). */
  retention: { maxAgeMs: number; maxBytes: number };
  /** As the user set them: checked (and refused with a message) before anything is sent. */
  defaults: UpscaleParams;
  /** The defaults of Ideogram's current upscalers (`ideogramV2`). */
  v2Defaults: UpscaleParams;
  /** The files a run with the target `variants` writes; checked (`variantsProblem`) when one starts. */
  variants: VariantRule[];
}

const section = 'ideogramUpscale';

/** The settings as last read; dropped when they change. A batch asks for them several times an image. */
let cached: Settings | undefined;
let watching = false;

export function readSettings(): Settings {
  if (watching) return (cached ??= read());
  return read();
}

/**
 * Keeps what `readSettings` read until the settings change (or a workspace is trusted, which lets
 * its own values apply). Made once, in activate(); until then every call reads them afresh.
 */
export function watchSettings(): vscode.Disposable {
  watching = true;
  cached = undefined;
  const forget = () => (cached = undefined);
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(section) && forget()),
    vscode.workspace.onDidGrantWorkspaceTrust(forget),
    { dispose: () => ((watching = false), forget()) },
  );
}

function read(): Settings {
  const config = vscode.workspace.getConfiguration(section);
  const int = (key: string, fallback: number, min: number, max: number) => clamp(Math.round(config.get<number>(key, fallback)), min, max, fallback);
  const output = config.get<string>('output', 'ask');
  const magic = config.get<string>('defaults.magicPrompt', 'AUTO');
  const seed = config.get<number | null>('defaults.seed', null);
  const pattern = config.get<string>('fileNamePattern', '{name}@upscaled.{ext}');
  return {
    service: serviceKind(userValue(config, 'service', 'gateway')),
    baseUrl: userValue(config, 'baseUrl', 'https://yunwu.ai'),
    ideogramBaseUrl: userValue(config, 'ideogramBaseUrl', 'https://api.ideogram.ai'),
    taskQueryPath: userValue(config, 'taskQueryPath', '/ideogram/upscale/{task_id}'),
    requestTimeoutMs: int('requestTimeoutSeconds', 120, 5, 1800) * 1000,
    taskTimeoutMs: int('taskTimeoutSeconds', 600, 10, 7200) * 1000,
    output: output === 'nextToOriginal' || output === 'replace' ? output : 'ask',
    // A pattern without {name} would give every copy the same name; one with a slash would leave the folder.
    fileNamePattern: pattern.includes('{name}') && !/[\\/]/.test(pattern) ? pattern : '{name}@upscaled.{ext}',
    jpegQuality: int('jpegQuality', 90, 1, 100),
    keepOriginalSize: config.get<boolean>('keepOriginalSize', false),
    maxImagesInFlight: int('maxImagesInFlight', 10, 1, 100),
    rebuildTransparency: config.get<boolean>('rebuildTransparency', true),
    keepMetadata: config.get<string>('keepMetadata', 'color') === 'all' ? 'all' : 'color',
    replaceWhenAspectDiffers: config.get<boolean>('replaceWhenAspectDiffers', false),
    assetRoots: config.get<unknown[]>('assetRoots', ['public', 'static']).filter((f): f is string => typeof f === 'string' && f.trim() !== '').map((f) => f.trim().replace(/^\/+|\/+$/g, '')),
    maxUploadBytes: clamp(config.get<number>('maxUploadMB', 10), 0.001, 25, 10) * 1024 * 1024,
    folder: { largeImageLongSide: int('folder.largeImageLongSide', 2048, 16, 16384), smallImageLongSide: int('folder.smallImageLongSide', 32, 1, 4096) },
    price: {
      perResult: Math.max(0, config.get<number>('pricePerImage', 0.06) || 0),
      currency: config.get<string>('currency', 'USD').trim() || 'USD',
      confirmAbove: Math.max(0, config.get<number>('confirmAbovePrice', 1) || 0),
      confirmAboveResults: int('confirmAboveResults', 20, 0, 1_000_000),
    },
    recordDoneWork: config.get<boolean>('recordDoneWork', true),
    retention: {
      maxAgeMs: int('keepResultsDays', 30, 0, 36500) * 24 * 3600_000,
      maxBytes: clamp(config.get<number>('keepResultsMB', 1024), 0, 1_000_000, 1024) * 1024 * 1024,
    },
    defaults: {
      prompt: config.get<string>('defaults.prompt', '').trim() || undefined,
      resemblance: config.get<number>('defaults.resemblance', 50),
      detail: config.get<number>('defaults.detail', 50),
      magicPrompt: magic as UpscaleParams['magicPrompt'],
      numImages: config.get<number>('defaults.numImages', 1),
      seed: typeof seed === 'number' ? seed : undefined,
      target: config.get<string>('defaults.target', '2x').trim() || '2x',
    },
    v2Defaults: v2Defaults(config),
    variants: config.get<VariantRule[]>('variants', [...defaultVariants]).map((r) => ({ pattern: r?.pattern, scale: r?.scale })),
  };
}

function serviceKind(value: string): ServiceKind {
  return value === 'ideogram' || value === 'ideogramV2' ? value : 'gateway';
}

function v2Defaults(config: vscode.WorkspaceConfiguration): UpscaleParams {
  const model = config.get<string>('defaults.v2Model', 'topaz-standard-2');
  const factor = config.get<string>('defaults.upscaleFactor', 'x2');
  const strength = config.get<string>('defaults.enhancementStrength', 'medium');
  const tier = config.get<string>('defaults.resolutionTier', '2K');
  return {
    model: isV2Model(model) ? model : 'topaz-standard-2',
    upscaleFactor: (['x2', 'x4', 'x8'].includes(factor) ? factor : 'x2') as UpscaleFactor,
    enhancementStrength: (strengths as readonly string[]).includes(strength) ? (strength as EnhancementStrength) : 'medium',
    resolutionTier: (tiers as readonly string[]).includes(tier) ? (tier as ResolutionTier) : '2K',
  };
}

/** The defaults of the chosen service: its parameters differ. */
export function defaultsFor(settings: Settings): UpscaleParams {
  return settings.service === 'ideogramV2' ? settings.v2Defaults : settings.defaults;
}

/**
 * Where the key is sent is taken from the user's own settings only: a cloned repository's
 * workspace settings must never redirect it.
 */
function userValue(config: vscode.WorkspaceConfiguration, key: string, fallback: string): string {
  const inspected = config.inspect<string>(key);
  const value = inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
}

function clamp(value: number, min: number, max: number, fallback: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

/** Where requests go and how the key travels, for the chosen service. */
export function serviceProfile(settings: Settings, key: string): ServiceProfile {
  if (settings.service === 'ideogramV2') return ideogramV2Profile(settings.ideogramBaseUrl, key);
  return settings.service === 'ideogram' ? ideogramProfile(settings.ideogramBaseUrl, key) : gatewayProfile(settings.baseUrl, settings.taskQueryPath, key);
}
