/** One measured figure: what was measured, the number judged against its target, and the verdict. */
export interface Figure {
  name: string;
  /** The measurement as said on its line, before the target. */
  text: string;
  value: number;
  unit: string;
  target: { op: '<' | '<=' | '>='; limit: number };
  ok: boolean;
  /** How far past the target, in percent of it (absent when met). */
  missedByPct?: number;
  details: Record<string, unknown>;
}

/** A figure that could not be measured (its line says why). */
export interface Unmeasured {
  name: string;
  error: string;
}

export function judge(name: string, text: string, value: number, unit: string, target: Figure['target'], details: Record<string, unknown> = {}): Figure {
  const { op, limit } = target;
  const ok = op === '<' ? value < limit : op === '<=' ? value <= limit : value >= limit;
  const missedByPct = ok ? undefined : round(op === '>=' ? (1 - value / limit) * 100 : (value / limit - 1) * 100, 1);
  return { name, text, value, unit, target, ok, missedByPct, details };
}

/** `upload: ours 812 ms vs curl 760 ms = 1.07x (target ≤ 1.2x) ok` */
export function line(f: Figure | Unmeasured): string {
  if ('error' in f) return `${f.name}: not measured (${f.error})`;
  const op = f.target.op === '<=' ? '≤' : f.target.op === '>=' ? '≥' : '<';
  const unit = f.unit === 'x' ? 'x' : ` ${f.unit}`;
  const verdict = f.ok ? 'ok' : `MISSED by ${f.missedByPct! >= 10 ? Math.round(f.missedByPct!) : f.missedByPct}%`;
  return `${f.name}: ${f.text} (target ${op} ${f.target.limit}${unit}) ${verdict}`;
}

export function round(value: number, digits = 0): number {
  const k = 10 ** digits;
  return Math.round(value * k) / k;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

export const MB = 1024 * 1024;
export const KB = 1024;

export function ms(value: number): string {
  return value >= 100 ? `${Math.round(value)} ms` : `${round(value, 1)} ms`;
}

export function mb(bytes: number): string {
  return `${round(bytes / MB, 1)} MB`;
}
