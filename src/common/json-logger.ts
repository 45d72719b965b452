import { LoggerService } from '@nestjs/common';

const LEVELS = { debug: 10, verbose: 10, log: 20, info: 20, warn: 30, error: 40, fatal: 50, silent: 99 } as const;
type Level = keyof typeof LEVELS;

/** One JSON object per line on stdout: what log shippers expect from a server. */
export class JsonLogger implements LoggerService {
  private readonly min: number;
  /** whether `request` writes anything: checked before an access-log entry is built */
  readonly logsRequests: boolean;

  constructor(level: Level = 'info') {
    this.min = LEVELS[level];
    this.logsRequests = LEVELS.info >= this.min;
  }

  private write(level: Level, message: unknown, context?: unknown, extra?: Record<string, unknown>): void {
    if (LEVELS[level] < this.min) return;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level: level === 'log' ? 'info' : level };
    if (typeof context === 'string') entry.context = context;
    if (message && typeof message === 'object') Object.assign(entry, message);
    else entry.msg = String(message);
    if (extra) Object.assign(entry, extra);
    process.stdout.write(JSON.stringify(entry) + '\n');
  }

  log(message: unknown, context?: string) {
    this.write('log', message, context);
  }
  error(message: unknown, stackOrContext?: string, context?: string) {
    this.write('error', message, context ?? stackOrContext, context && stackOrContext ? { stack: stackOrContext } : undefined);
  }
  warn(message: unknown, context?: string) {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string) {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string) {
    this.write('verbose', message, context);
  }
  fatal(message: unknown, context?: string) {
    this.write('fatal', message, context);
  }
  request(entry: Record<string, unknown>) {
    this.write('info', { msg: 'request', ...entry });
  }
}
