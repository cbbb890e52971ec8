import { posix } from 'node:path';
import { isUpscalableName } from '../images/extensions';

/**
 * The languages where image paths are written: the activation events and the editor menu's
 * when-clause in package.json name the same (a unit test compares them).
 */
export const imagePathLanguages = ['markdown', 'mdx', 'html', 'css', 'scss', 'less', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'vue', 'svelte'];

/** An image path written in a line of text, as the cursor found it. */
export interface ImageReference {
  /** The path with its query and fragment dropped, %-escapes decoded and back-slashes turned into slashes. */
  path: string;
  /** Where the path as written starts and ends in the line (end exclusive). */
  start: number;
  end: number;
}

/**
 * Where paths stand in Markdown, HTML, CSS, JavaScript/TypeScript and component files: a
 * Markdown link or image target (optionally in angle brackets), a link reference definition, an
 * unquoted CSS `url(…)`, and any quoted string (`src="…"`, `url('…')`, `import … from '…'`,
 * `require('…')`). Group 1 is the path as written.
 */
const patterns = [
  /\]\(\s*(<[^>\n]*>|[^\s)]+)/g,
  /^\s{0,3}\[[^\]]+\]:\s*(<[^>\n]*>|\S+)/g,
  /\burl\(\s*([^\s'")]+)\s*\)/g,
  /"([^"\n]*)"|'([^'\n]*)'|`([^`\n]*)`/g,
];

/** The image path under `character` (a cursor between two characters counts for both), if any. */
export function findImageReference(line: string, character: number): ImageReference | undefined {
  for (const pattern of patterns) {
    for (const match of line.matchAll(pattern)) {
      const groupIndex = match.findIndex((g, i) => i > 0 && g !== undefined);
      if (groupIndex < 0) continue;
      let written = match[groupIndex];
      // The path closes each match but for a `)` or a quote and spaces.
      let start = match.index + match[0].lastIndexOf(written);
      if (written.startsWith('<') && written.endsWith('>')) {
        written = written.slice(1, -1);
        start += 1;
      }
      const end = start + written.length;
      if (character < start || character > end) continue;
      const path = cleanPath(written);
      if (path) return { path, start, end };
    }
  }
  return undefined;
}

/** The path a reference names on disk, or undefined when it is no local image path. */
function cleanPath(written: string): string | undefined {
  // A template string inside an attribute (Vue's :src="`…`") is one quote inside another.
  const text = written.trim().replace(/^[`'"]+|[`'"]+$/g, '');
  // A URL with a scheme (http:, https:, data:, file:, …) or a protocol-relative one is not a file of the workspace.
  if (/^[a-z][a-z0-9+.-]*:/i.test(text) || text.startsWith('//')) return undefined;
  let path = text.replace(/[?#].*$/, '').replace(/\\/g, '/');
  try {
    path = decodeURIComponent(path);
  } catch {
    // A lone "%" is a literal one.
  }
  return path && isUpscalableName(path) ? path : undefined;
}

export interface ResolveBase {
  /** The document's own path (a URI's path, with forward slashes). */
  documentPath: string;
  /** The path of the workspace folder that holds the document, if any. */
  workspaceFolder?: string;
  /** Folders, relative to the workspace folder, where a root-relative `/…` path is also looked for. */
  assetRoots: readonly string[];
}

/**
 * The places a reference may name, in the order to try them: relative to the document; a
 * root-relative `/…` against the workspace folder, then the asset roots (web frameworks serve
 * `public/` or `static/` at `/`). Nothing outside the workspace folder is offered for `/…`.
 */
export function candidatePaths(ref: string, base: ResolveBase): string[] {
  if (!ref.startsWith('/')) return [posix.normalize(posix.join(posix.dirname(base.documentPath), ref))];
  const root = base.workspaceFolder;
  if (!root) return [];
  const inside = (p: string) => p === root || p.startsWith(root.endsWith('/') ? root : `${root}/`);
  const places = [posix.join(root, ref), ...base.assetRoots.map((folder) => posix.join(root, folder, ref))].map((p) => posix.normalize(p));
  return [...new Set(places)].filter(inside);
}
