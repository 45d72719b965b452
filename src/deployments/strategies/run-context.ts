import { AppConfig } from '../../config/app-config';
import { SwarmRepository } from '../../swarm/swarm.repository';
import { DeploymentEvents } from '../deployment-events';
import { DeploymentStore } from '../deployment.store';
import { DeploymentRecord, DeploymentRequest, DeploymentStatus, StepRecord } from '../deployment.types';

/** Thrown to stop a run after the deployment reached a terminal status. */
export class RunFinished extends Error {}

/**
 * What a strategy sees of its deployment: the record (re-read on demand), idempotent step
 * recording, progress, requests from callers, and the engine. Every write goes through the
 * store (compare-and-set) and then through DeploymentEvents.progress.
 */
export class RunContext {
  constructor(
    public dep: DeploymentRecord,
    readonly swarm: SwarmRepository,
    readonly config: AppConfig,
    private readonly store: DeploymentStore,
    private readonly events: DeploymentEvents,
  ) {}

  get state(): Record<string, any> {
    return this.dep.state;
  }

  has(step: string): boolean {
    return this.dep.steps.some((s) => s.name === step);
  }

  /** Records a step once: a step already recorded (before a restart) is not recorded again. */
  async step(name: string, message: string | null = null, state: Record<string, unknown> = {}): Promise<void> {
    let added: StepRecord | null = null;
    this.dep = await this.store.update(this.dep.id, (d) => {
      Object.assign(d.state, state);
      if (d.steps.some((s) => s.name === name)) {
        added = null;
        return Object.keys(state).length ? undefined : false;
      }
      added = { name, at: new Date().toISOString(), message };
      d.steps.push(added);
    });
    if (added) this.events.progress(this.dep, added);
  }

  /** Saves strategy bookkeeping before an action, so a restart knows what may have happened. */
  async remember(state: Record<string, unknown>): Promise<void> {
    this.dep = await this.store.update(this.dep.id, (d) => {
      Object.assign(d.state, state);
    });
  }

  async progress(updated: number, total: number): Promise<void> {
    if (this.dep.progress.updated === updated && this.dep.progress.total === total) return;
    const grew = updated > this.dep.progress.updated;
    this.dep = await this.store.update(this.dep.id, (d) => {
      d.progress = { updated, total };
      if (grew) d.state.lastProgressAt = Date.now();
    });
    this.events.progress(this.dep);
  }

  async setStatus(status: DeploymentStatus, message: string | null = null): Promise<void> {
    if (this.dep.status === status) return;
    this.dep = await this.store.update(this.dep.id, (d) => {
      d.status = status;
    });
    await this.step(status, message);
  }

  /** The oldest request a caller made that the run has not acted on (re-reads the record). */
  async pendingRequest(): Promise<DeploymentRequest | null> {
    this.dep = await this.store.mustGet(this.dep.id);
    return this.dep.requests[0] ?? null;
  }

  async clearRequests(): Promise<void> {
    this.dep = await this.store.update(this.dep.id, (d) => {
      if (!d.requests.length) return false;
      d.requests = [];
    });
  }

  /** Ends the deployment (terminal status, frees the service) and stops the run. */
  async finish(status: DeploymentStatus, error: string | null = null, message: string | null = null): Promise<never> {
    const step: StepRecord = { name: status, at: new Date().toISOString(), message: message ?? error };
    this.dep = await this.store.update(this.dep.id, (d) => {
      d.status = status;
      d.error = error;
      d.finishedAt = step.at;
      d.requests = [];
      if (!d.steps.some((s) => s.name === status)) d.steps.push(step);
    });
    this.events.progress(this.dep, step);
    throw new RunFinished(status);
  }

  sleep(ms = this.config.deployPollMs): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  /** Seconds since the last progress (or since `from` when there was none yet). */
  stalledFor(from: number): number {
    return (Date.now() - Math.max(from, this.state.lastProgressAt ?? 0)) / 1000;
  }
}
