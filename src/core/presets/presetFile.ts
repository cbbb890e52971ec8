import type { Node, ParseError } from 'jsonc-parser';
import { libraries } from '../lazyLibraries';
import { limits, UpscaleParams } from '../api/params';
import { t } from '../i18n';
import { builtInPresets, PathRule, Preset, PresetConfig } from './presets';

/**
 * The presets file, written by people (the record beside it is rewritten by the extension, so the
 * two are kept apart): presets by name, and globs that map paths to them.
 */
export const presetsPath = '.vscode/ideogram-upscale-presets.json';

/** The target sizes' grammar, as the schema's pattern says it (a unit test compares the two). */
export const targetPattern = '^(?:(?:1\\.5|2|3|4)x|(?:width|height):[1-9][0-9]*|fit:[1-9][0-9]*x[1-9][0-9]*)$';

export interface PresetProblem {
  /** 1-based, as an editor shows it. */
  line: number;
  column: number;
  message: string;
}

export type PresetFileResult = { config: PresetConfig; problems: [] } | { config?: undefined; problems: PresetProblem[] };

const presetFields = ['label', 'prompt', 'resemblance', 'detail', 'magicPrompt', 'numImages', 'seed', 'target'] as const;

/**
 * Reads a presets file. Any problem (JSON that does not parse, a field that is not one, a bad
 * glob, a path mapped to a preset that does not exist) is returned with its line, and then no
 * preset is returned at all: a run never goes ahead on half a file.
 */
export function parsePresetFile(text: string): PresetFileResult {
  const problems: PresetProblem[] = [];
  const at = (offset: number, message: string) => problems.push({ ...position(text, offset), message });
  const errors: ParseError[] = [];
  const { parseTree, printParseErrorCode } = libraries();
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  for (const e of errors) at(e.offset, t('not valid JSON ({0})', printParseErrorCode(e.error)));
  if (problems.length || !root) return { problems: problems.length ? problems : [{ line: 1, column: 1, message: t('the file is empty') }] };
  if (root.type !== 'object') return { problems: [{ ...position(text, root.offset), message: t('the file must hold an object with "presets" and "paths"') }] };
  const presets: Preset[] = [];
  const paths: PathRule[] = [];
  const reserved = new Set(builtInPresets().map((p) => p.id));
  for (const [key, value] of properties(root, at)) {
    if (key.value === 'presets') {
      if (value.type !== 'object') at(value.offset, t('"presets" must be an object of presets by name'));
      else for (const [name, body] of properties(value, at)) {
        const id = String(name.value);
        if (reserved.has(id)) at(name.offset, t('"{0}" is a built-in preset; give yours another name', id));
        else if (!/^[\w.-]{1,40}$/.test(id)) at(name.offset, t('a preset name is 1 to 40 letters, digits, ".", "_" or "-", not "{0}"', id));
        else {
          const preset = readPreset(id, body, at);
          if (preset) presets.push(preset);
        }
      }
    } else if (key.value === 'paths') {
      if (value.type !== 'object') at(value.offset, t('"paths" must be an object of globs, each naming a preset'));
      else for (const [glob, name] of properties(value, at)) {
        const wrong = globProblem(String(glob.value));
        if (wrong) at(glob.offset, wrong);
        else if (name.type !== 'string') at(name.offset, t('the glob "{0}" must name a preset', String(glob.value)));
        else paths.push({ glob: String(glob.value), preset: String(name.value), line: position(text, name.offset).line });
      }
    } else if (key.value !== '$schema') {
      at(key.offset, t('unknown field "{0}"; the file has "presets" and "paths"', String(key.value)));
    }
  }
  const known = new Set([...reserved, ...presets.map((p) => p.id)]);
  for (const rule of paths) {
    if (!known.has(rule.preset)) problems.push({ line: rule.line, column: 1, message: t('unknown preset "{0}" (known: {1})', rule.preset, [...known].join(', ')) });
  }
  return problems.length ? { problems } : { config: { presets, paths }, problems: [] };
}

function readPreset(id: string, body: Node, at: (offset: number, message: string) => void): Preset | undefined {
  if (body.type !== 'object') {
    at(body.offset, t('the preset "{0}" must be an object of parameters', id));
    return undefined;
  }
  const params: UpscaleParams = {};
  let label: string | undefined;
  let target: string | undefined;
  let ok = true;
  const wrong = (node: Node, message: string) => {
    at(node.offset, message);
    ok = false;
  };
  for (const [key, value] of properties(body, at)) {
    const field = String(key.value);
    const v: unknown = value.value;
    if (field === 'label' || field === 'prompt') {
      if (typeof v !== 'string') wrong(value, t('"{0}" must be text', field));
      else if (field === 'label') label = v;
      else if (v.length > limits.promptLength) wrong(value, t('the prompt is longer than {0} characters', limits.promptLength));
      else params.prompt = v;
    } else if (field === 'resemblance' || field === 'detail' || field === 'numImages' || field === 'seed') {
      const { min, max } = limits[field];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) wrong(value, t('{0} must be a whole number from {1} to {2}', field, min, max));
      else params[field] = v;
    } else if (field === 'magicPrompt') {
      if (v !== 'AUTO' && v !== 'ON' && v !== 'OFF') wrong(value, t('magicPrompt must be AUTO, ON or OFF'));
      else params.magicPrompt = v;
    } else if (field === 'target') {
      if (typeof v !== 'string' || !new RegExp(targetPattern).test(v)) wrong(value, t('"target" must be 1.5x, 2x, 3x, 4x, width:N, height:N or fit:WxH, not {0}', JSON.stringify(v)));
      else target = v;
    } else {
      wrong(key, t('unknown field "{0}" in the preset "{1}"; the fields are {2}', field, id, presetFields.join(', ')));
    }
  }
  return ok ? { id, label: label?.trim() || id, params, target, builtIn: false } : undefined;
}

/** What makes a glob unusable here, or undefined. */
export function globProblem(glob: string): string | undefined {
  if (glob.trim() === '') return t('a glob is empty');
  if (glob.startsWith('/') || /^[a-z]:/i.test(glob)) return t('the glob "{0}" is absolute; write it relative to the workspace folder', glob);
  if (glob.includes('\\')) return t('the glob "{0}" has a backslash; folders are separated by /', glob);
  if (glob.split('/').includes('..')) return t('the glob "{0}" leaves the workspace folder', glob);
  for (const [open, close] of ['[]', '{}', '()']) {
    let depth = 0;
    for (const c of glob) {
      if (c === open) depth++;
      else if (c === close && --depth < 0) break;
    }
    if (depth !== 0) return t('the glob "{0}" has an unmatched {1} or {2}', glob, open, close);
  }
  try {
    libraries().picomatch.makeRe(glob);
  } catch (err) {
    return t('the glob "{0}" is not valid: {1}', glob, (err as Error).message);
  }
  return undefined;
}

/** Each problem on a line of its own, named by file and line as an editor's problems are. */
export function describeProblems(file: string, problems: readonly PresetProblem[]): string {
  return problems.map((p) => t('{0}, line {1}: {2}', file, p.line, p.message)).join('\n');
}

/** An object's keys and values; a key written twice is a problem (JSON would keep one silently). */
function properties(object: Node, at?: (offset: number, message: string) => void): [Node, Node][] {
  const seen = new Set<unknown>();
  return (object.children ?? []).flatMap((p) => {
    if (p.children?.length !== 2) return [];
    const [key, value] = p.children;
    if (seen.has(key.value)) {
      at?.(key.offset, t('"{0}" is written twice', String(key.value)));
      return [];
    }
    seen.add(key.value);
    return [[key, value] as [Node, Node]];
  });
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
