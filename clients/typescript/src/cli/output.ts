import type { Deployment, SwarmEvent } from '../client';

/** Exit codes of swarmctl (README: Client and CLI). */
export const EXIT = {
  OK: 0,
  /** The request was refused or the deployment did not succeed (failed, rolled back, cancelled). */
  FAILED: 1,
  /** Bad command line. */
  USAGE: 2,
  /** --wait gave up after --timeout; the deployment goes on. */
  TIMEOUT: 3,
  /** The token is missing, unknown (401) or not allowed to do this (403). */
  AUTH: 4,
  /** The control plane could not be reached. */
  UNREACHABLE: 5,
} as const;

export class UsageError extends Error {}

export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Where progress goes (stderr), and whether it is a terminal. */
  progress: { write(s: string): void; isTTY: boolean; columns?: number };
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  progress: {
    write: (s) => process.stderr.write(s),
    get isTTY() {
      return !!process.stderr.isTTY;
    },
    get columns() {
      return process.stderr.columns;
    },
  },
};

/** Left-aligned columns, two spaces apart. */
export function table(headers: string[], rows: Array<Array<string | number | null | undefined>>): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

export function bar(done: number, total: number, width = 24): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export function progressLine(d: Deployment, withId = true): string {
  const step = d.steps.length ? d.steps[d.steps.length - 1].name : null;
  return `${d.service}${withId ? ` ${d.id}` : ''}: ${d.progress.updated}/${d.progress.total} tasks updated, ${d.status}${step && step !== d.status ? ` (${step})` : ''}`;
}

/**
 * Live progress of a deployment: one redrawn line with a bar on a terminal, otherwise a plain
 * line whenever something changed (CI logs).
 */
export class ProgressView {
  private drawn = false;

  constructor(private readonly io: Io) {}

  update(d: Deployment): void {
    if (this.io.progress.isTTY) {
      const line = `${bar(d.progress.updated, d.progress.total)} ${progressLine(d, false)}`;
      const cols = this.io.progress.columns ?? 120;
      this.io.progress.write(`\r\x1b[2K${line.length > cols - 1 ? line.slice(0, cols - 2) + '…' : line}`);
      this.drawn = true;
    } else {
      this.io.progress.write(`${new Date().toISOString()} ${progressLine(d)}\n`);
    }
  }

  end(): void {
    if (this.drawn) this.io.progress.write('\n');
    this.drawn = false;
  }
}

/** One line per event: what happened, to what. */
export function eventLine(e: SwarmEvent): string {
  switch (e.type) {
    case 'task': {
      const t = e.data;
      return `${e.id} task ${t.service}${t.slot !== null && t.slot !== undefined ? `.${t.slot}` : ''} ${t.taskId.slice(0, 12)} ${t.from ?? 'new'} -> ${t.to}${t.nodeName ? ` on ${t.nodeName}` : ''}${t.error ? `: ${t.error}` : ''}`;
    }
    case 'service':
      return `${e.id} service ${e.data.service} ${e.data.change}${e.data.changedFields.length ? ` (${e.data.changedFields.join(', ')})` : ''}${e.data.updateState ? ` update ${e.data.updateState}` : ''}`;
    case 'node':
      return `${e.id} node ${e.data.hostname} ${e.data.change}: ${e.data.state}, ${e.data.availability}${e.data.changedFields.length ? ` (${e.data.changedFields.join(', ')})` : ''}`;
    case 'deployment': {
      const d = e.data;
      return `${e.id} deployment ${d.service} ${d.id} ${d.status}${d.progress ? ` ${d.progress.updated}/${d.progress.total}` : ''}${d.step ? ` (${d.step})` : ''}${d.error ? `: ${d.error}` : ''}`;
    }
    case 'autoscaling': {
      const a = e.data;
      return `${e.id} autoscaling ${a.service} ${a.action} ${a.from} -> ${a.to}${a.reason ? `: ${a.reason}` : ''}`;
    }
    default: {
      // Event types newer than this client (the union has none today).
      const other = e as { id: string; type: string; data: unknown };
      return `${other.id} ${other.type} ${JSON.stringify(other.data)}`;
    }
  }
}
