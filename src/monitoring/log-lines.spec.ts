import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LogDemuxer, parseLogLine, RawLogLine } from './log-lines';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const h = Buffer.alloc(8);
  h[0] = stream;
  h.writeUInt32BE(payload.length, 4);
  return Buffer.concat([h, payload]);
}

async function demux(chunks: Buffer[], timestamps = false): Promise<RawLogLine[]> {
  const d = new LogDemuxer(timestamps);
  const out: RawLogLine[] = [];
  d.on('data', (l: RawLogLine) => out.push(l));
  const done = new Promise((r) => d.on('end', r));
  for (const c of chunks) d.write(c);
  d.end();
  await done;
  return out;
}

const ATTRS = 'com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t1';

describe('log lines', () => {
  it('parses timestamps and the task context that details=true adds', () => {
    const cases: Array<[string, boolean, Partial<RawLogLine>]> = [
      [`${ATTRS} hello world`, false, { taskId: 't1', nodeId: 'n1', timestamp: null, message: 'hello world' }],
      [`2024-05-01T12:00:00.000000001Z ${ATTRS} tick`, true, { taskId: 't1', timestamp: '2024-05-01T12:00:00.000000001Z', message: 'tick' }],
      ['plain line without context', false, { taskId: null, nodeId: null, message: 'plain line without context' }],
      [`a=b,com.docker.swarm.task.id=t%2B2 x`, false, { taskId: 't+2', message: 'x' }],
      [`${ATTRS} `, false, { taskId: 't1', message: '' }],
    ];
    for (const [line, ts, want] of cases) {
      const got = parseLogLine(line, 'stdout', ts);
      for (const [k, v] of Object.entries(want)) assert.equal((got as any)[k], v, `${line}: ${k}`);
    }
  });

  it('demuxes frames cut anywhere across chunks, keeping stdout and stderr apart', async () => {
    const all = Buffer.concat([frame(1, `${ATTRS} one\n`), frame(2, `${ATTRS} err\n`), frame(1, `${ATTRS} two\n${ATTRS} thr`), frame(1, 'ee\n')]);
    for (const cut of [1, 3, 7, 8, 9, 50, all.length - 1]) {
      const lines = await demux([all.subarray(0, cut), all.subarray(cut)]);
      assert.deepEqual(
        lines.map((l) => [l.stream, l.message]),
        [
          ['stdout', 'one'],
          ['stderr', 'err'],
          ['stdout', 'two'],
          ['stdout', 'three'],
        ],
        `cut at ${cut}`,
      );
    }
  });

  it('passes a TTY (not multiplexed) stream through as lines, and emits a last partial line', async () => {
    const lines = await demux([Buffer.from(`${ATTRS} a\r\n${ATTRS} b`)]);
    assert.deepEqual(
      lines.map((l) => l.message),
      ['a', 'b'],
    );
  });
});
