import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Reads the JSON lines results-reporter wrote under a results folder (one sub-folder per run,
 * one file per suite file) and prints, per test, how many runs it took part in and how many
 * it failed - the flake table of `scripts/test.sh --repeat N`. Exits 1 when any test failed.
 *
 *   node .build/test/support/results-table.js RESULTS_DIR [--failed-only]
 */
interface Row {
  file: string;
  name: string;
  runs: number;
  failures: number;
  messages: Set<string>;
  ms: number[];
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.jsonl') ? [p] : [];
  });
}

function main(dir: string, failedOnly: boolean): number {
  const rows = new Map<string, Row>();
  const runs = new Set<string>();
  for (const f of files(dir)) {
    runs.add(relative(dir, f).split('/')[0]);
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as { file?: string; name: string; ok: boolean; ms: number; message?: string };
      const file = relative(process.cwd(), r.file ?? f).replace(/^\.build\//, '').replace(/\.js$/, '.ts');
      const key = `${file}\u0000${r.name}`;
      const row = rows.get(key) ?? { file, name: r.name, runs: 0, failures: 0, messages: new Set(), ms: [] };
      row.runs++;
      row.ms.push(r.ms);
      if (!r.ok) {
        row.failures++;
        if (r.message) row.messages.add(r.message);
      }
      rows.set(key, row);
    }
  }
  const all = [...rows.values()].sort((a, b) => b.failures - a.failures || a.file.localeCompare(b.file) || a.name.localeCompare(b.name));
  const failed = all.filter((r) => r.failures > 0);
  const out = process.stdout;
  out.write(`\n==> flake table: ${runs.size} run(s), ${all.length} test(s), ${failed.length} with failures\n`);
  out.write(`${'failed'.padStart(6)} ${'runs'.padStart(5)} ${'median s'.padStart(9)}  test\n`);
  for (const r of failedOnly ? failed : all) {
    const ms = [...r.ms].sort((a, b) => a - b);
    const median = (ms[Math.floor(ms.length / 2)] ?? 0) / 1000;
    out.write(`${String(r.failures).padStart(6)} ${String(r.runs).padStart(5)} ${median.toFixed(1).padStart(9)}  ${r.file} > ${r.name}\n`);
    for (const m of r.messages) out.write(`${' '.repeat(23)}${m}\n`);
  }
  return failed.length ? 1 : 0;
}

process.exitCode = main(process.argv[2] ?? '.', process.argv.includes('--failed-only'));
