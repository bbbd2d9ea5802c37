/** One row per measurement; written as JSON and Markdown under bench/results/ and printed. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import type { Spread } from './stats';

export interface BenchRow {
  name: string;
  courier: string;
  reference: string;
  unit: string;
  courierValue: Spread;
  referenceValue: Spread | null;
  /** Courier over reference, per repetition; null where there is no reference. */
  ratio: Spread | null;
  runs: number;
  goal: string;
  /** Lower bound on the median ratio (or an upper bound on a value), checked here; null: report only. */
  met: boolean | null;
  notes: string[];
}

export interface BenchOptions {
  /** Bytes of the single large file. */
  size: number;
  runs: number;
  files: number;
  fileSize: number;
  connections: number;
  seconds: number;
  memorySize: number;
  browseEntries: number[];
}

const UNITS: Array<[number, string]> = [
  [2 ** 30, 'GiB'],
  [2 ** 20, 'MiB'],
  [2 ** 10, 'KiB'],
];

export function parseBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kib|mib|gib|kb|mb|gb|k|m|g)?$/i.exec(text.trim());
  if (!m) throw new Error(`not a size: ${text} (e.g. 1GiB, 200MiB, 10KiB)`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const factor = unit.startsWith('g') ? 2 ** 30 : unit.startsWith('m') ? 2 ** 20 : unit.startsWith('k') ? 2 ** 10 : 1;
  return Math.round(Number(m[1]) * factor);
}

export function formatBytes(n: number): string {
  for (const [factor, unit] of UNITS) if (n >= factor) return `${+(n / factor).toFixed(2)} ${unit}`;
  return `${n} B`;
}

const num = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const cell = (s: Spread | null, unit = '') => (s ? `${num(s.median)}${unit} (${num(s.min)}–${num(s.max)})` : '—');

export function markdownTable(rows: BenchRow[]): string {
  const lines = [
    '| benchmark | Courier | reference | unit | Courier median (min–max) | reference median (min–max) | ratio median (min–max) | runs | goal | met |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const met = r.met === null ? 'report' : r.met ? 'yes' : '**no**';
    lines.push(
      `| ${r.name} | ${r.courier} | ${r.reference} | ${r.unit} | ${cell(r.courierValue)} | ${cell(r.referenceValue)} | ${cell(r.ratio)} | ${r.runs} | ${r.goal} | ${met} |`,
    );
  }
  return lines.join('\n');
}

export function writeReport(
  rows: BenchRow[],
  options: BenchOptions,
  command: string,
  elapsedSeconds: number,
): { json: string; md: string } {
  const dir = path.resolve(import.meta.dirname, '../results');
  mkdirSync(dir, { recursive: true });
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
  const at = new Date().toISOString();
  const json = path.join(dir, 'latest.json');
  writeFileSync(json, JSON.stringify({ at, command, machine, elapsedSeconds, options, rows }, null, 2) + '\n');
  const notes = rows.flatMap((r) => r.notes.map((n) => `- **${r.name}**: ${n}`));
  const md = path.join(dir, 'latest.md');
  writeFileSync(
    md,
    [
      `Measured ${at} on ${machine} in ${Math.round(elapsedSeconds)} s with \`${command}\`.`,
      'Ratios are Courier over the reference, throughput (bigger is better), taken per repetition; the two sides alternate which goes first.',
      '',
      markdownTable(rows),
      '',
      ...(notes.length ? ['Notes:', '', ...notes, ''] : []),
    ].join('\n'),
  );
  return { json, md };
}
