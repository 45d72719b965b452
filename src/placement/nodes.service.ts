import { Injectable } from '@nestjs/common';
import { AppError, FieldError } from '../common/errors';
import { Caller } from '../common/auth/roles';
import { Answer } from '../common/http/cached-answer';
import { Page } from '../common/paging';
import { Operation } from '../mutations/operation-context';
import { AnswerCache, scopeKey } from '../cluster/answer-cache';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { NodeListQuery, NodeTaskListQuery, queryKey, queryNodes, queryNodeTasks } from '../cluster/list-queries';
import { SwarmRepository } from '../swarm/swarm.repository';
import { NodeView, TaskView } from '../swarm/swarm.types';
import { NodeAvailabilityInput, NodeLabelsInput } from './placement.input';

// Keys usable in constraints and spread preferences (swarmkit's key grammar after "node.labels.").
const LABEL_KEY = /^[A-Za-z0-9_][A-Za-z0-9\-_.]{0,127}$/;
const LABEL_VALUE_MAX = 1024;

/** Node reads and node changes (labels, availability), shared by REST and GraphQL. */
@Injectable()
export class NodesService {
  constructor(
    private readonly state: ClusterStateService,
    private readonly swarm: SwarmRepository,
    private readonly answers: AnswerCache,
  ) {}

  async list(q: NodeListQuery): Promise<Page<NodeView>> {
    return queryNodes(await this.state.snapshot(), q);
  }

  /** `list` serialized, kept per read-model version and query (every caller sees every node). */
  listAnswer(q: NodeListQuery): Answer | Promise<Answer> {
    return this.state.read((snap) => this.answers.get(snap, `nodes ${queryKey(q)}`, () => queryNodes(snap, q)));
  }

  get(idOrHostname: string): Promise<NodeView> {
    return this.state.node(idOrHostname);
  }

  /**
   * Tasks on a node that are wanted or still running there (a down node's tasks show with desired
   * state shutdown until the node comes back), limited to the services the caller may see.
   */
  async tasks(idOrHostname: string, caller: Caller, q: NodeTaskListQuery): Promise<Page<TaskView>> {
    const node = await this.state.node(idOrHostname);
    return queryNodeTasks(await this.state.snapshot(), node.id, q, caller);
  }

  async tasksAnswer(idOrHostname: string, caller: Caller, q: NodeTaskListQuery): Promise<Answer> {
    const node = await this.state.node(idOrHostname);
    const snap = await this.state.snapshot();
    return this.answers.get(snap, `node-tasks ${node.id} ${scopeKey(caller)} ${queryKey(q)}`, () => queryNodeTasks(snap, node.id, q, caller));
  }

  /** Adds and removes labels on the node's current spec, at its version (retried on a race). */
  async label(idOrHostname: string, input: NodeLabelsInput): Promise<NodeView> {
    const add = input.add ?? {};
    const remove = input.remove ?? [];
    const errors: FieldError[] = [];
    for (const [k, v] of Object.entries(add)) {
      if (!LABEL_KEY.test(k)) errors.push({ path: `add.${k}`, message: 'label keys are letters, digits and -_. (at most 128)' });
      if (typeof v !== 'string') errors.push({ path: `add.${k}`, message: 'label values are strings' });
      else if (v.length > LABEL_VALUE_MAX) errors.push({ path: `add.${k}`, message: `label values are at most ${LABEL_VALUE_MAX} characters` });
    }
    remove.forEach((k, i) => {
      if (!k) errors.push({ path: `remove[${i}]`, message: 'must not be empty' });
      if (k in add) errors.push({ path: `remove[${i}]`, message: `"${k}" is also in add` });
    });
    if (!Object.keys(add).length && !remove.length) errors.push({ path: 'add', message: 'give labels to add or remove' });
    if (errors.length) throw new AppError('VALIDATION_FAILED', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);

    const node = await this.state.node(idOrHostname);
    const { before, spec } = await this.swarm.mutateNode(node.id, (s) => {
      const labels = { ...(s.Labels ?? {}), ...add };
      for (const k of remove) delete labels[k];
      return { ...s, Labels: labels };
    });
    Operation.note({ action: 'node.labels', target: node.hostname, before: { labels: before.Spec.Labels ?? {} }, after: { labels: spec.Labels ?? {} } });
    await this.state.refresh();
    return this.state.node(node.id);
  }

  async setAvailability(idOrHostname: string, input: NodeAvailabilityInput): Promise<NodeView> {
    const node = await this.state.node(idOrHostname);
    const { before, spec } = await this.swarm.mutateNode(node.id, (s) => ({ ...s, Availability: input.availability }));
    Operation.note({
      action: 'node.availability',
      target: node.hostname,
      before: { availability: before.Spec.Availability },
      after: { availability: spec.Availability },
    });
    await this.state.refresh();
    return this.state.node(node.id);
  }
}
