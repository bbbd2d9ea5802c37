/**
 * `npm run bench [-- --only download,upload --size 1GiB --runs 5 …]`: runs the benchmarks, each
 * measuring Courier and its reference side by side, and writes bench/results/latest.{json,md}.
 * Every option also reads from an environment variable (BENCH_SIZE, BENCH_RUNS, …); flags win.
 */
import { parseArgs } from 'node:util';
import { authorizationBench } from './benchmarks/authorization';
import { browseBench } from './benchmarks/browse';
import {
  chromiumDownloadBench,
  chromiumLargeUploadBench,
  chromiumPublicDownloadBench,
  chromiumPackageBench,
  chromiumUploadBench,
} from './benchmarks/chromium-transfers';
import { downloadBench } from './benchmarks/download';
import { instancesBench } from './benchmarks/instances';
import { memoryBench } from './benchmarks/memory';
import { nodeToNodeBench } from './benchmarks/node-to-node';
import { spaBench } from './benchmarks/spa';
import { uploadBench } from './benchmarks/upload';
import { markdownTable, parseBytes, writeReport, type BenchOptions, type BenchRow } from './lib/report';

const BENCHMARKS: Record<string, (o: BenchOptions) => Promise<BenchRow[]>> = {
  download: downloadBench,
  upload: uploadBench,
  'node-to-node': nodeToNodeBench,
  authorization: authorizationBench,
  instances: instancesBench,
  browse: browseBench,
  memory: memoryBench,
  'chromium-upload': chromiumUploadBench,
  'chromium-upload-large': chromiumLargeUploadBench,
  'chromium-download': chromiumDownloadBench,
  'chromium-public-download': chromiumPublicDownloadBench,
  'chromium-package': chromiumPackageBench,
  spa: spaBench,
};

const FLAGS = {
  // chromium-upload-large is chromium-upload's first row alone (for tuning), not run twice by default.
  only: {
    env: 'BENCH_ONLY',
    default: Object.keys(BENCHMARKS)
      .filter((k) => k !== 'chromium-upload-large')
      .join(','),
  },
  size: { env: 'BENCH_SIZE', default: '1GiB' },
  runs: { env: 'BENCH_RUNS', default: '5' },
  files: { env: 'BENCH_FILES', default: '10000' },
  'file-size': { env: 'BENCH_FILE_SIZE', default: '10KiB' },
  connections: { env: 'BENCH_CONNECTIONS', default: '32' },
  seconds: { env: 'BENCH_SECONDS', default: '5' },
  'memory-size': { env: 'BENCH_MEMORY_SIZE', default: '4GiB' },
  'browse-entries': { env: 'BENCH_BROWSE_ENTRIES', default: '1000,100000' },
} as const;

function positiveInt(name: string, text: string, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be an integer from 1 to ${max}, got ${text}`);
  return n;
}

function parseOptions(argv: string[]): { options: BenchOptions; only: string[] } {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(Object.keys(FLAGS).map((k) => [k, { type: 'string' as const }])),
    strict: true,
  });
  const get = (name: keyof typeof FLAGS) =>
    (values as Record<string, string | undefined>)[name] ?? process.env[FLAGS[name].env] ?? FLAGS[name].default;
  const only = get('only').split(',').filter(Boolean);
  for (const name of only)
    if (!BENCHMARKS[name]) throw new Error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  return {
    only,
    options: {
      size: parseBytes(get('size')),
      runs: positiveInt('runs', get('runs'), 100),
      // The node takes at most 10,000 paths in one upload spec (gateway-spec.ts MAX_SPEC_PATHS).
      files: positiveInt('files', get('files'), 10_000),
      fileSize: parseBytes(get('file-size')),
      connections: positiveInt('connections', get('connections'), 1000),
      seconds: positiveInt('seconds', get('seconds'), 600),
      memorySize: parseBytes(get('memory-size')),
      browseEntries: get('browse-entries')
        .split(',')
        .map((n) => positiveInt('browse-entries', n, 1_000_000)),
    },
  };
}

const started = performance.now();
const { options, only } = parseOptions(process.argv.slice(2));
const rows: BenchRow[] = [];
for (const name of only) {
  process.stdout.write(`▶ ${name}…\n`);
  const t0 = performance.now();
  const bench = BENCHMARKS[name];
  if (bench) rows.push(...(await bench(options)));
  process.stdout.write(`  done in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
}
const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
const { md } = writeReport(rows, options, command, (performance.now() - started) / 1000);
process.stdout.write(
  `\n${markdownTable(rows)}\n\n${rows.flatMap((r) => r.notes.map((n) => `${r.name}: ${n}`)).join('\n')}\n\nWritten to ${md} and latest.json\n`,
);
