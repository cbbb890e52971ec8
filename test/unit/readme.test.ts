import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The README is the Marketplace page: its commands table and settings table must list exactly
 * what package.json contributes, with the defaults package.json declares.
 */
const root = resolve(__dirname, '..', '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
/** English strings of package.json's `%key%` placeholders, when it has any. */
const nls: Record<string, string> = existsSync(join(root, 'package.nls.json')) ? JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) : {};
const localized = (text: string) => text.replace(/^%([^%]+)%$/, (whole, key: string) => nls[key] ?? whole);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    configuration: { properties: Record<string, { default?: unknown }> };
  };
};

interface Table {
  header: string[];
  rows: string[][];
  /** 1-based line of the header row, for messages. */
  line: number;
}

/** The cells of one table row: split on pipes that are not escaped, outer pipes optional. */
function cells(line: string): string[] {
  let text = line.trim();
  if (text.startsWith('|')) text = text.slice(1);
  if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
  return text.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

const isSeparator = (line: string) => /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/.test(line);

/** Every table of a markdown text (outside fenced code blocks). */
export function tables(markdown: string): Table[] {
  const lines = markdown.split(/\r?\n/);
  const found: Table[] = [];
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*(```|~~~)/.test(lines[i])) fenced = !fenced;
    if (fenced || !lines[i].includes('|') || i + 1 >= lines.length || !isSeparator(lines[i + 1])) continue;
    const header = cells(lines[i]);
    if (cells(lines[i + 1]).length !== header.length) continue; // GFM: as many delimiter cells as header cells
    const rows: string[][] = [];
    let j = i + 2;
    for (; j < lines.length && lines[j].trim() !== '' && lines[j].includes('|'); j++) rows.push(cells(lines[j]));
    found.push({ header, rows, line: i + 1 });
    i = j - 1;
  }
  return found;
}

/** The one table whose header has these column names (case-insensitive, in any order, others allowed). */
export function tableWith(markdown: string, ...columns: string[]): Table & { col: (name: string) => number } {
  const wanted = columns.map((c) => c.toLowerCase());
  const matching = tables(markdown).filter((t) => wanted.every((w) => t.header.some((h) => h.toLowerCase() === w)));
  assert.equal(matching.length, 1, `expected exactly one table with the columns ${columns.join(', ')}; found ${matching.length}`);
  const table = matching[0];
  return { ...table, col: (name) => table.header.findIndex((h) => h.toLowerCase() === name.toLowerCase()) };
}

/** The text of the first code span of a cell, or undefined. */
function code(cell: string | undefined): string | undefined {
  const m = /(`+)(.*?)\1/.exec(cell ?? '');
  return m ? m[2].replace(/^ (.*) $/, '$1') : undefined;
}

/**
 * How the settings table shows a default: a code span holding a string as it is (the empty
 * string as `""`), anything else as JSON (`120`, `false`, `null`); no default at all as "—".
 */
export function formatDefault(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value === '' ? '`""`' : `\`${value}\``;
  return `\`${JSON.stringify(value)}\``;
}

function duplicates(values: string[]): string[] {
  return values.filter((v, i) => values.indexOf(v) !== i);
}

describe('README lists what package.json contributes', () => {
  it('the commands table lists exactly the contributed commands, with their titles', () => {
    const table = tableWith(readme, 'Command', 'ID');
    const ids = table.rows.map((r, n) => code(r[table.col('ID')]) ?? assert.fail(`commands table (line ${table.line}), row ${n + 1}: no \`id\` in the ID column`));
    const contributed = pkg.contributes.commands.map((c) => c.command);
    assert.deepEqual(duplicates(ids), [], 'commands listed twice');
    assert.deepEqual(
      { missing: contributed.filter((c) => !ids.includes(c)), extra: ids.filter((c) => !contributed.includes(c)) },
      { missing: [], extra: [] },
      'the README commands table differs from contributes.commands',
    );
    for (const row of table.rows) {
      const command = pkg.contributes.commands.find((c) => c.command === code(row[table.col('ID')]))!;
      const title = command.category ? `${localized(command.category)}: ${localized(command.title)}` : localized(command.title);
      assert.equal(row[table.col('Command')].replace(/\*\*/g, ''), title, `title of ${command.command}`);
    }
  });

  it('the settings table lists exactly the contributed settings, with their defaults', () => {
    const table = tableWith(readme, 'Setting', 'Default');
    const names = table.rows.map((r, n) => code(r[table.col('Setting')]) ?? assert.fail(`settings table (line ${table.line}), row ${n + 1}: no \`name\` in the Setting column`));
    const properties = pkg.contributes.configuration.properties;
    const contributed = Object.keys(properties);
    assert.deepEqual(duplicates(names), [], 'settings listed twice');
    assert.deepEqual(
      { missing: contributed.filter((s) => !names.includes(s)), extra: names.filter((s) => !contributed.includes(s)) },
      { missing: [], extra: [] },
      'the README settings table differs from contributes.configuration.properties',
    );
    for (const row of table.rows) {
      const name = code(row[table.col('Setting')])!;
      assert.equal(row[table.col('Default')], formatDefault(properties[name].default), `default of ${name}`);
    }
  });

  it('finds tables by their header row, wherever they are', () => {
    const sample = ['text | with a pipe', '', '| Setting | Default | Meaning |', '|:--|--:|---|', '| `a.b` | `""` | x \\| y |', '| `a.c` | `null` | z |', '', 'after'].join('\n');
    const table = tableWith(sample, 'default', 'SETTING');
    assert.deepEqual(table.rows.map((r) => r[table.col('Meaning')]), ['x | y', 'z']);
    assert.equal(formatDefault(''), '`""`');
    assert.equal(formatDefault(null), '`null`');
    assert.equal(formatDefault(120), '`120`');
    assert.equal(formatDefault('https://yunwu.ai'), '`https://yunwu.ai`');
  });

  it('keeps the two commands of "Try it, or test it" and every picture it shows', () => {
    assert.ok(readme.includes('npm ci && npm run try'), 'npm ci && npm run try');
    assert.ok(readme.includes('npm ci && npm test'), 'npm ci && npm test');
    // Code spans show a path as text, not a picture.
    const pictures = [...readme.replace(/`[^`\n]*`/g, '').matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]).filter((p) => !/^[a-z]+:/i.test(p));
    assert.ok(pictures.length > 0, 'the README shows pictures');
    for (const picture of pictures) assert.ok(existsSync(join(root, picture)), `${picture} exists`);
  });
});
