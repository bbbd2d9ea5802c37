#!/usr/bin/env node
// Prints the per-module table of docs/reliability.md from Stryker's JSON reports
// (reports/mutation/<group>.json), so the document quotes the run instead of being retyped.
// Usage: node scripts/mutation-table.mjs [reports/mutation/node.json …]; --survivors lists them.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const listSurvivors = args.includes('--survivors');
const given = args.filter((a) => !a.startsWith('--'));
const dir = 'reports/mutation';
const reports = given.length
  ? given
  : readdirSync(dir)
      .filter((f) => /^(node|portal|spa|all|node-rules|portal-rules|node-io|portal-services)\.json$/.test(f))
      .map((f) => path.join(dir, f));

const rows = [];
for (const report of reports) {
  const { files } = JSON.parse(readFileSync(report, 'utf8'));
  for (const [file, { mutants }] of Object.entries(files)) {
    const count = (status) => mutants.filter((m) => m.status === status).length;
    const row = {
      file,
      killed: count('Killed'),
      survived: count('Survived'),
      noCoverage: count('NoCoverage'),
      timeout: count('Timeout'),
      ignored: count('Ignored'),
    };
    const detected = row.killed + row.timeout;
    const valid = detected + row.survived + row.noCoverage;
    rows.push({ ...row, score: valid ? (100 * detected) / valid : 100 });
    if (listSurvivors) {
      for (const m of mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')) {
        console.log(
          `${file}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName} ${JSON.stringify(m.replacement ?? '')}`,
        );
      }
    }
  }
}
if (!listSurvivors) {
  console.log('| module | killed | survived | no coverage | timeout | score | static (not run) |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows.sort((a, b) => a.file.localeCompare(b.file))) {
    console.log(
      `| \`${r.file}\` | ${r.killed} | ${r.survived} | ${r.noCoverage} | ${r.timeout} | ${r.score.toFixed(1)} % | ${r.ignored} |`,
    );
  }
}
