import { parseGeneration } from './generations';
import { imageRequestJson, UpscaleParams } from './params';
import { Answer, parseAnswer } from './responses';
import { ServiceProfile } from './services';
import { multipart, Multipart, SourceFile } from './uploadBody';
import { v2FormFields, v2SubmitPath } from './v2';

/** Where an upload goes and what it holds, for the service's kind; a dry run is priced, not run. */
export function submission(profile: ServiceProfile, source: SourceFile, params: UpscaleParams, dryRun = false): { url: string; form: Multipart } {
  if (profile.service !== 'ideogramV2') return { url: joinUrl(profile.baseUrl, profile.submitPath), form: multipart(source, imageRequestJson(params)) };
  const url = joinUrl(profile.baseUrl, v2SubmitPath(params, profile.submitPath)) + (dryRun ? '?dry_run=true' : '');
  // Always asynchronous: the generation's id is known before the work is done, so a reload polls it.
  return { url, form: multipart(source, v2FormFields(params, { async: !dryRun }), 'image') };
}

/** How the service's answers read. */
export function answerParser(profile: ServiceProfile): (body: unknown) => Answer {
  return profile.service === 'ideogramV2' ? parseGeneration : parseAnswer;
}

export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
}
