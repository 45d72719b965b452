import { Injectable } from '@nestjs/common';
import { Caller } from '../common/auth/roles';
import { Answer } from '../common/http/cached-answer';
import { Page } from '../common/paging';
import { AnswerCache, scopeKey } from '../cluster/answer-cache';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { queryKey, queryServices, queryServiceTasks, ServiceListQuery, TaskListQuery } from '../cluster/list-queries';
import { ServiceDetail, ServiceSummary, TaskView } from '../swarm/swarm.types';

const REDACTED = '[redacted]';

/** Service reads, shared by REST and GraphQL. */
@Injectable()
export class ServicesService {
  constructor(
    private readonly state: ClusterStateService,
    private readonly answers: AnswerCache,
  ) {}

  /** The services the caller may see that match the query, one page. */
  async list(q: ServiceListQuery, caller: Caller): Promise<Page<ServiceSummary>> {
    return queryServices(await this.state.snapshot(), q, caller);
  }

  /** `list` serialized, kept per read-model version, caller scope and query. */
  listAnswer(q: ServiceListQuery, caller: Caller): Answer | Promise<Answer> {
    return this.state.read((snap) => this.answers.get(snap, `services ${scopeKey(caller)} ${queryKey(q)}`, () => queryServices(snap, q, caller)));
  }

  async get(name: string, caller: Caller): Promise<ServiceDetail> {
    const detail = await this.state.service(name, caller);
    // Env values often hold credentials: viewers see the keys only.
    if (caller.role === 'viewer') detail.env = Object.fromEntries(Object.keys(detail.env).map((k) => [k, REDACTED]));
    return detail;
  }

  async tasks(name: string, caller: Caller, q: TaskListQuery): Promise<Page<TaskView>> {
    const snap = await this.state.snapshot();
    return queryServiceTasks(snap, await this.state.serviceRecord(name, caller), q);
  }

  async tasksAnswer(name: string, caller: Caller, q: TaskListQuery): Promise<Answer> {
    const snap = await this.state.snapshot();
    const service = await this.state.serviceRecord(name, caller);
    return this.answers.get(snap, `tasks ${service.ID} ${scopeKey(caller)} ${queryKey(q)}`, () => queryServiceTasks(snap, service, q));
  }
}
