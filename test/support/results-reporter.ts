/**
 * A node:test reporter (used by scripts/test.sh beside the spec reporter) that writes one JSON
 * line per finished test - its full name (suites joined by " > "), file, outcome, duration and,
 * on failure, the first line of the error - so runs can be compared (`--repeat`).
 */
interface TestEvent {
  type: string;
  data: {
    name: string;
    nesting: number;
    file?: string;
    details?: { duration_ms?: number; type?: string; error?: { message?: string; cause?: { message?: string } } };
  };
}

async function* resultsReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  // Tests of one file run one at a time (--test-concurrency=1 and no concurrent subtests), so
  // the names of the enclosing suites are the last started at each shallower nesting level.
  const path: string[] = [];
  for await (const ev of source) {
    const { type, data } = ev;
    if (type === 'test:start') {
      path.length = data.nesting;
      path[data.nesting] = data.name;
      continue;
    }
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    // A suite counts only when it fails on its own (a before/after hook): its tests say the rest.
    if (data.details?.type === 'suite' && type === 'test:pass') continue;
    const name = [...path.slice(0, data.nesting), data.name].join(' > ');
    const err = data.details?.error;
    const message = type === 'test:fail' ? String(err?.cause?.message ?? err?.message ?? 'failed').split('\n')[0].slice(0, 300) : undefined;
    yield JSON.stringify({ file: data.file, name, ok: type === 'test:pass', ms: Math.round(data.details?.duration_ms ?? 0), message }) + '\n';
  }
}

// node:test loads a CommonJS reporter from module.exports itself.
export = resultsReporter;
