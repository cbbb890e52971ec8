import * as vscode from 'vscode';
import { UpscaleParams } from '../core/api/params';
import { defaultsPresetId, presetParams } from '../core/presets/presets';
import { WorkspacePresets } from '../batch/presetFile';
import { BatchItem } from '../jobs/batch';
import { JobOrigin } from '../jobs/jobStore';
import { ParamChoice } from '../ui/parameterFlow';

/** "mapped": each file its preset by the presets file (the settings' defaults where no glob matches). */
export const mappedPresets = 'mapped';

/**
 * What a caller of the command chose, as the quick pick would have: a preset by id (or each
 * file's mapped one), with `params` set over it; else the parameters as given. Throws for a
 * preset that does not exist.
 */
export function choiceOfOptions(preset: string | undefined, params: UpscaleParams | 'defaults' | 'last' | undefined, presets: WorkspacePresets, defaults: UpscaleParams, last: UpscaleParams | undefined): ParamChoice & { over?: UpscaleParams } {
  const over = typeof params === 'object' ? params : undefined;
  if (preset === mappedPresets) return { mapped: true, over };
  if (preset !== undefined) {
    const found = presets.presets.find((p) => p.id === preset);
    if (!found) throw new Error(vscode.l10n.t('unknown preset "{0}" (known: {1})', preset, presets.presets.map((p) => p.id).join(', ')));
    return { params: { ...presetParams(found, defaults), ...over }, preset: found };
  }
  if (params === 'last') return { params: { ...(last ?? defaults) } };
  if (over) return { params: { ...defaults, ...over } };
  // "defaults", or nothing said: the settings' defaults, named as the quick pick names them.
  return { params: { ...defaults }, preset: presets.presets.find((p) => p.id === defaultsPresetId) };
}

/** Each file with what it is sent with: the choice's parameters, or its own mapped preset's. */
export function batchItems(uris: readonly vscode.Uri[], choice: ParamChoice & { over?: UpscaleParams }, presets: WorkspacePresets, defaults: UpscaleParams, origin: Omit<JobOrigin, 'preset'>): BatchItem[] {
  const fallback = presets.presets.find((p) => p.id === defaultsPresetId);
  return uris.map((source) => {
    if ('params' in choice) return { source, params: choice.params, origin: { ...origin, preset: choice.preset?.label } };
    const preset = presets.mappedFor(source)?.preset ?? fallback;
    const params = { ...(preset ? presetParams(preset, defaults) : defaults), ...choice.over };
    return { source, params, origin: { ...origin, preset: preset?.label } };
  });
}
