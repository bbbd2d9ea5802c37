/**
 * CPU seconds from `/proc`, for the tuning harnesses: of one process, of Chromium's processes by
 * type (browser, renderer, network service…), and of this process's waited-for children (curl).
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK = 100; // USER_HZ on Linux

export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch {
    return 0;
  }
}

/** Descendants of `root`, by Chromium process type (`--type=`, or `browser` for the main one). */
function processesByKind(root: number): Map<number, string> {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ');
      parent.set(Number(entry), Number(stat[1]));
    } catch {
      // gone meanwhile
    }
  }
  const kinds = new Map<number, string>();
  for (const pid of parent.keys()) {
    let p: number | undefined = pid;
    while (p && p !== root && p !== 1) p = parent.get(p);
    if (p !== root || pid === root) continue;
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmd.includes('chrom')) continue;
    const type = /--type=([a-z-]+)/.exec(cmd)?.[1];
    const service = /--utility-sub-type=([a-zA-Z.]+)/.exec(cmd)?.[1];
    kinds.set(pid, type ? (service ? service.replace(/^.*\./, '').replace(/Service$/, '') : type) : 'browser');
  }
  return kinds;
}

export function chromiumCpu(root: number): Map<string, number> {
  const sums = new Map<string, number>();
  for (const [pid, kind] of processesByKind(root)) sums.set(kind, (sums.get(kind) ?? 0) + cpuSeconds(pid));
  return sums;
}

/** CPU of this process's waited-for children: the curl processes of the reference sides. */
export function childrenCpu(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[13]) + Number(fields[14])) / TICK;
}
