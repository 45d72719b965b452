import { Injectable } from '@nestjs/common';
import { pipeline, Readable, Transform } from 'node:stream';
import { Caller } from '../common/auth/roles';
import { StreamConnections } from '../common/limits/stream-connections';
import { ClusterStateService, Snapshot } from '../cluster/cluster-state.service';
import { SwarmRepository } from '../swarm/swarm.repository';
import { EngineTask } from '../swarm/engine.types';
import { LogDemuxer, RawLogLine } from './log-lines';
import { LogLineView } from './monitoring.types';

export interface LogsOptions {
  tail?: number | 'all';
  since?: number;
  timestamps?: boolean;
  follow?: boolean;
}

/** `name.slot.taskid@node | message`, like `docker service logs`. */
export function formatLogLine(l: LogLineView): string {
  const task = `${l.service}${l.slot !== null ? `.${l.slot}` : ''}${l.taskId ? `.${l.taskId.slice(0, 12)}` : ''}${l.node ? `@${l.node}` : ''}`;
  return `${l.timestamp ? `${l.timestamp} ` : ''}${task} | ${l.message}\n`;
}

/** Service logs from the engine (all nodes), as lines that name their task and node. */
@Injectable()
export class LogsService {
  private readonly taskIndex = new WeakMap<Snapshot, Map<string, EngineTask>>();

  constructor(
    private readonly state: ClusterStateService,
    private readonly swarm: SwarmRepository,
    private readonly streams: StreamConnections,
  ) {}

  /**
   * An object stream of LogLineView. Destroying it closes the engine stream. Scope is checked
   * first: an out-of-scope service is absent.
   */
  async open(name: string, opts: LogsOptions, caller: Caller): Promise<Readable> {
    const service = await this.state.serviceRecord(name, caller);
    const serviceName = service.Spec.Name ?? service.ID;
    const engine = await this.swarm.serviceLogs(service.ID, opts);
    const view = new Transform({
      objectMode: true,
      transform: (raw: RawLogLine, _enc, done) => done(null, this.view(serviceName, raw)),
    });
    pipeline(engine as Readable, new LogDemuxer(!!opts.timestamps), view, () => undefined);
    return view;
  }

  /**
   * Followed logs (follow=true): the same object stream, holding one of the token's long-lived
   * connections (shared with event streams) until it closes.
   */
  async follow(name: string, opts: LogsOptions, caller: Caller): Promise<Readable> {
    const release = this.streams.acquire(caller);
    try {
      const lines = await this.open(name, { ...opts, follow: true }, caller);
      lines.once('close', release);
      return lines;
    } catch (e) {
      release();
      throw e;
    }
  }

  /** The same lines as plain text, one per log line. */
  async openText(name: string, opts: LogsOptions, caller: Caller): Promise<Readable> {
    const lines = await this.open(name, opts, caller);
    const text = new Transform({
      writableObjectMode: true,
      transform: (l: LogLineView, _enc, done) => done(null, formatLogLine(l)),
    });
    pipeline(lines, text, () => undefined);
    return text;
  }

  private view(service: string, raw: RawLogLine): LogLineView {
    // Tasks started after the request opened appear in later snapshots: look up the latest.
    const snap = this.state.lastSnapshot;
    const task = snap && raw.taskId ? this.tasksById(snap).get(raw.taskId) : undefined;
    return {
      service,
      taskId: raw.taskId,
      slot: task?.Slot ?? null,
      node: snap?.nodeName(raw.nodeId ?? task?.NodeID) ?? null,
      stream: raw.stream,
      timestamp: raw.timestamp,
      message: raw.message,
    };
  }

  private tasksById(snap: Snapshot): Map<string, EngineTask> {
    let m = this.taskIndex.get(snap);
    if (!m) {
      m = new Map(snap.tasks.map((t) => [t.ID, t]));
      this.taskIndex.set(snap, m);
    }
    return m;
  }
}
