/**
 * Summarises V8 .cpuprofile files: self time by function and by package/file, and inclusive time
 * of the project's and packages' functions (each sample counted once per function on its stack).
 * Usage: node bench/dist/bench/src/profile-summary.js [--top N] file.cpuprofile...
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const META = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Where a frame's code lives: an npm package, a file of the library/bench, node internals, or V8. */
export function areaOf(frame: CallFrame): string {
  if (META.has(frame.functionName)) return frame.functionName;
  const url = frame.url;
  if (!url) return '(native/V8 builtins)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const project = /\/dist\/((?:libs|bench)\/.*)$/.exec(url);
  if (project) return project[1].replace(/\.js$/, '.ts');
  if (url.startsWith('node:')) return 'node:internal';
  return url;
}

function frameKey(frame: CallFrame): string {
  const where = areaOf(frame);
  const name = frame.functionName || '(anonymous)';
  return META.has(name) ? name : `${name}  [${where}:${frame.lineNumber + 1}]`;
}

function top(map: Map<string, number>, n: number, total: number): string[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1_000).toFixed(0).padStart(6)} ms  ${key}`);
}

function summarise(file: string, n: number): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<string, number>();
  const area = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i + 1] ?? 0; // delta i+1 is the time until the next sample
    const node = byId.get(profile.samples[i]);
    if (!node) continue;
    if (node.callFrame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    total += us;
    const key = frameKey(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + us);
    const where = areaOf(node.callFrame);
    area.set(where, (area.get(where) ?? 0) + us);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id, depth = 0; id !== undefined && depth < 500; id = parent.get(id), depth++) {
      const frame = byId.get(id)?.callFrame;
      if (!frame || !frame.url || frame.url.startsWith('node:')) continue;
      const k = frameKey(frame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  const wall = (profile.endTime - profile.startTime) / 1_000;
  console.log(
    `\n=== ${basename(file)}: ${wall.toFixed(0)} ms profiled, ${(total / 1_000).toFixed(0)} ms on CPU in JS thread, ${(idle / 1_000).toFixed(0)} ms idle`,
  );
  console.log(`-- self time by package / file`);
  for (const line of top(area, n, total)) console.log(line);
  console.log(`-- self time by function (top ${n})`);
  for (const line of top(self, n, total)) console.log(line);
  console.log(`-- inclusive time, project and package functions (top ${n})`);
  for (const line of top(inclusive, n, total)) console.log(line);
}

const args = process.argv.slice(2);
let n = 20;
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--top') n = Number(args[++i]);
  else files.push(args[i]);
}
if (files.length === 0) {
  console.error('usage: profile-summary.js [--top N] file.cpuprofile...');
  process.exit(2);
}
for (const file of files) summarise(file, n);
