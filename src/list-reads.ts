import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastRead } from './common/http/fast-reads';
import { NodeListQuery, NodeTaskListQuery, ServiceListQuery, TaskListQuery } from './cluster/list-queries';
import { NodesController } from './placement/nodes.controller';
import { NodesService } from './placement/nodes.service';
import { ServicesController } from './services/services.controller';
import { ServicesService } from './services/services.service';

/**
 * The list routes whose answers are kept (AnswerCache), as fast reads: each names its controller
 * method (whose role it keeps) and makes the call that method makes.
 */
export function listReads(app: NestFastifyApplication): FastRead[] {
  const services = app.get(ServicesService);
  const nodes = app.get(NodesService);
  const reads: [FastRead<ServiceListQuery>, FastRead<TaskListQuery>, FastRead<NodeListQuery>, FastRead<NodeTaskListQuery>] = [
    { url: '/v1/services', controller: ServicesController, method: 'list', query: ServiceListQuery, answer: (q, caller) => services.listAnswer(q, caller) },
    { url: '/v1/services/:name/tasks', controller: ServicesController, method: 'tasks', query: TaskListQuery, answer: (q, caller, p) => services.tasksAnswer(p.name, caller, q) },
    { url: '/v1/nodes', controller: NodesController, method: 'list', query: NodeListQuery, answer: (q) => nodes.listAnswer(q) },
    { url: '/v1/nodes/:idOrHostname/tasks', controller: NodesController, method: 'tasks', query: NodeTaskListQuery, answer: (q, caller, p) => nodes.tasksAnswer(p.idOrHostname, caller, q) },
  ];
  return reads as unknown as FastRead[];
}
