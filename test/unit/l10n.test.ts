import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

/** Every string the extension localizes at run time: `t('…')` and `vscode.l10n.t('…')` calls, and the next steps of errors. */
function runtimeStrings(): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(/(?<![\w.])(?:vscode\.l10n\.t|l10n\.t|t)\(\s*'((?:[^'\\]|\\.)*)'/g)) found.add(m[1].replace(/\\'/g, "'"));
      }
    }
  };
  walk(join(root, 'src'));
  const errors = readFileSync(join(root, 'src', 'core', 'api', 'errors.ts'), 'utf8');
  const table = errors.slice(errors.indexOf('const nextStep'), errors.indexOf('};', errors.indexOf('const nextStep')));
  for (const m of table.matchAll(/:\s*'((?:[^'\\]|\\.)+)'/g)) found.add(m[1].replace(/\\'/g, "'"));
  return [...found];
}

const placeholders = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join();

describe('Chinese (Simplified) translations', () => {
  it('translate every string the extension shows at run time, with the same placeholders', () => {
    const bundle = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    const strings = runtimeStrings();
    assert.ok(strings.length > 100, `found ${strings.length} strings`);
    const missing = strings.filter((s) => !bundle[s]);
    assert.deepEqual(missing, [], 'strings without a translation');
    const mismatched = strings.filter((s) => placeholders(s) !== placeholders(bundle[s]));
    assert.deepEqual(mismatched, [], 'translations whose placeholders differ');
  });

  it('are looked up only with literal strings, so that none escapes this check', () => {
    const calls: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts') && name !== 'i18n.ts') {
          const text = readFileSync(path, 'utf8');
          // errors.ts looks up its table of next steps, whose strings runtimeStrings() reads.
          for (const m of text.matchAll(/(?<![\w.])(?:vscode\.l10n\.t|l10n\.t|t)\(\s*([^\s)])/g)) if (m[1] !== "'" && !text.startsWith('t(nextStep[', m.index)) calls.push(`${name}: ${text.slice(m.index, m.index + 50).split('\n')[0]}`);
        }
      }
    };
    walk(join(root, 'src'));
    assert.deepEqual(calls, [], 'calls whose text is not a literal');
  });

  it('translate every %key% of package.json', () => {
    const manifest = readFileSync(join(root, 'package.json'), 'utf8');
    const keys = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    assert.ok(keys.length > 20, `found ${keys.length} keys`);
    for (const file of ['package.nls.json', 'package.nls.zh-cn.json']) {
      const nls = JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, string>;
      assert.deepEqual(keys.filter((k) => !nls[k]), [], `keys missing from ${file}`);
    }
  });
});
