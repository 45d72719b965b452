import { applyDecorators } from '@nestjs/common';
import { ArgsType, Field, Int } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Caller, inScope } from '../common/auth/roles';
import { ParseFlag } from '../common/dto';
import { compareKeys, matchesLabels, Ordering, Page, paginate, parseLabelFilter } from '../common/paging';
import { EngineService } from '../swarm/engine.types';
import { NodeView, ServiceSummary, TaskView } from '../swarm/swarm.types';
import type { Snapshot } from './cluster-state.service';

/**
 * Filters (what `docker service ls`, `docker node ls` and `docker service ps` take with
 * `--filter`) and keyset pagination over the read model's lists, the same for REST query strings
 * and GraphQL arguments. Pure functions of a snapshot: the answers are kept per read-model version
 * (answer-cache.ts).
 */

export const MAX_PAGE = 1000;

/** A repeated query parameter (`?label=a&label=b`) is a list; a single one a list of one. */
const AsList = () => Transform(({ value }) => (value === undefined || value === null || Array.isArray(value) ? value : [value]));

const TASK_STATES = ['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running', 'complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned'];

@ArgsType()
export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE, description: `at most this many items (1..${MAX_PAGE}); without it, every item after the cursor` })
  @Field(() => Int, { nullable: true, description: `at most this many items (1..${MAX_PAGE}); without it, every item after the cursor` })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  limit?: number;

  @ApiPropertyOptional({ description: 'the `nextCursor` of the previous page: the items after it, in the same order', maxLength: 512 })
  @Field(() => String, { nullable: true, description: 'the nextCursor of the previous page: the items after it, in the same order' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a nextCursor of this list' })
  cursor?: string;
}

const LABEL_DOC = '`key` (has the label) or `key=value`; repeat for more, all must hold';

/** A list of name prefixes (docker's `--filter name=`): `description` in OpenAPI, and in GraphQL without backquotes. */
const NamePrefixes = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: [String], description }),
    Field(() => [String], { nullable: true, description: description.replace(/`/g, '') }),
    IsOptional(),
    AsList(),
    IsArray(),
    ArrayMaxSize(50),
    IsString({ each: true }),
    MaxLength(128, { each: true }),
  );

/** A list of label filters, `key` or `key=value`, all of which must hold. */
const LabelFilters = (what: string, apiDescription: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: [String], description: apiDescription }),
    Field(() => [String], { nullable: true, description: `${what}: key (has the label) or key=value; all must hold` }),
    IsOptional(),
    AsList(),
    IsArray(),
    ArrayMaxSize(20),
    IsString({ each: true }),
    MaxLength(1024, { each: true }),
    Matches(/^[^=]+(=[\s\S]*)?$/, { each: true, message: 'label filters are key or key=value' }),
  );

/** `docker service ls --filter name=... --filter label=... --filter mode=...`, and a page. */
@ArgsType()
export class ServiceListQuery extends PageQuery {
  @NamePrefixes('services whose name starts with one of these (as `docker service ls --filter name=`)')
  name?: string[];

  @LabelFilters('service labels', `service labels: ${LABEL_DOC}`)
  label?: string[];

  @ApiPropertyOptional({ enum: ['replicated', 'global'] })
  @Field(() => String, { nullable: true, description: 'replicated or global' })
  @IsOptional()
  @IsIn(['replicated', 'global'])
  mode?: 'replicated' | 'global';
}

/** `docker node ls --filter name=... --filter node.label=... --filter role=...`, availability, and a page. */
@ArgsType()
export class NodeListQuery extends PageQuery {
  @NamePrefixes('nodes whose hostname starts with one of these')
  name?: string[];

  @LabelFilters('node labels', `node labels (as \`docker node ls --filter node.label=\`): ${LABEL_DOC}`)
  label?: string[];

  @ApiPropertyOptional({ enum: ['manager', 'worker'] })
  @Field(() => String, { nullable: true, description: 'manager or worker' })
  @IsOptional()
  @IsIn(['manager', 'worker'])
  role?: 'manager' | 'worker';

  @ApiPropertyOptional({ enum: ['active', 'pause', 'drain'] })
  @Field(() => String, { nullable: true, description: 'active, pause or drain' })
  @IsOptional()
  @IsIn(['active', 'pause', 'drain'])
  availability?: 'active' | 'pause' | 'drain';
}

/** A service's tasks: `docker service ps --filter node=... --filter desired-state=...`, and a page. */
@ArgsType()
export class TaskListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'include finished tasks (the history of `docker service ps`)', type: Boolean })
  @Field(() => Boolean, { nullable: true, defaultValue: false })
  @IsOptional()
  @ParseFlag('all')
  @IsBoolean()
  all?: boolean;

  @ApiPropertyOptional({ description: 'tasks on this node (hostname or id)' })
  @Field(() => String, { nullable: true, description: 'tasks on this node (hostname or id)' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  node?: string;

  @ApiPropertyOptional({ enum: TASK_STATES, description: 'tasks with this desired state, history included (as `docker service ps --filter desired-state=`)' })
  @Field(() => String, { nullable: true, description: 'tasks with this desired state, history included (running, shutdown, accepted, ...)' })
  @IsOptional()
  @IsIn(TASK_STATES)
  desiredState?: string;
}

/** The tasks on a node, of one service, and a page. */
@ArgsType()
export class NodeTaskListQuery extends PageQuery {
  @ApiPropertyOptional({ description: "this service's tasks only (its name)" })
  @Field(() => String, { nullable: true, description: "this service's tasks only (its name)" })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  service?: string;
}

// ---- orders --------------------------------------------------------------------------------

const LATER_FIRST = new Set([1]);

function ms(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

export const SERVICE_ORDER: Ordering<ServiceSummary> = {
  list: 'services',
  key: (s) => [s.name],
  compare: (a, b) => compareKeys(a, b),
  shape: ['string'],
};

export const NODE_ORDER: Ordering<NodeView> = {
  list: 'nodes',
  key: (n) => [n.hostname, n.id],
  compare: (a, b) => compareKeys(a, b),
  shape: ['string', 'string'],
};

/** By slot, the newest task of a slot first (global services: by node, newest first). */
export const TASK_ORDER: Ordering<TaskView> = {
  list: 'tasks',
  key: (t) => [t.slot ?? 0, ms(t.createdAt), t.id],
  compare: (a, b) => compareKeys(a, b, LATER_FIRST),
  shape: ['number', 'number', 'string'],
};

const NODE_TASK_LATER_FIRST = new Set([2]);

export const NODE_TASK_ORDER: Ordering<TaskView> = {
  list: 'node-tasks',
  key: (t) => [t.service, t.slot ?? 0, ms(t.createdAt), t.id],
  compare: (a, b) => compareKeys(a, b, NODE_TASK_LATER_FIRST),
  shape: ['string', 'number', 'number', 'string'],
};

// ---- queries -------------------------------------------------------------------------------

/** Tasks a service still has: wanted ones, and ones still running (`docker service ps` without history). */
const CURRENT_DESIRED = new Set(['running', 'ready', 'accepted', 'new', 'pending', 'assigned']);
/** Tasks a node still has: wanted or still running there (a down node's tasks show as desired shutdown). */
const CURRENT_ON_NODE = new Set(['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);

function sortedBy<T>(items: T[], order: Ordering<T>): T[] {
  return items.sort((a, b) => order.compare(order.key(a), order.key(b)));
}

export function queryServices(snap: Snapshot, q: ServiceListQuery, caller: Caller | undefined): Page<ServiceSummary> {
  const names = q.name?.length ? q.name : null;
  const labels = (q.label ?? []).map(parseLabelFilter);
  return paginate(
    snap.serviceSummaries(),
    SERVICE_ORDER,
    (s) =>
      inScope(caller, s.labels) &&
      (!names || names.some((n) => s.name.startsWith(n))) &&
      matchesLabels(s.labels, labels) &&
      (!q.mode || s.mode === q.mode),
    q,
  );
}

export function queryNodes(snap: Snapshot, q: NodeListQuery): Page<NodeView> {
  const names = q.name?.length ? q.name : null;
  const labels = (q.label ?? []).map(parseLabelFilter);
  return paginate(
    snap.nodeList(),
    NODE_ORDER,
    (n) =>
      (!names || names.some((x) => n.hostname.startsWith(x))) &&
      matchesLabels(n.labels, labels) &&
      (!q.role || n.role === q.role) &&
      (!q.availability || n.availability === q.availability),
    q,
  );
}

/** The tasks of `service` (already checked against the caller's scope). */
export function queryServiceTasks(snap: Snapshot, service: EngineService, q: TaskListQuery): Page<TaskView> {
  const history = !!q.all || q.desiredState !== undefined;
  const views = sortedBy(snap.tasksOf(service.ID).map((t) => snap.taskView(t)), TASK_ORDER);
  return paginate(
    views,
    TASK_ORDER,
    (t) =>
      (history || CURRENT_DESIRED.has(t.desiredState) || t.state === 'running') &&
      (q.desiredState === undefined || t.desiredState === q.desiredState) &&
      (q.node === undefined || t.nodeId === q.node || t.nodeName === q.node),
    q,
  );
}

/** The tasks on node `nodeId` of the services the caller may see. */
export function queryNodeTasks(snap: Snapshot, nodeId: string, q: NodeTaskListQuery, caller: Caller | undefined): Page<TaskView> {
  const mine = snap.tasks.filter(
    (t) => t.NodeID === nodeId && (CURRENT_ON_NODE.has(t.DesiredState) || t.Status.State === 'running') && inScope(caller, snap.servicesById.get(t.ServiceID)?.Spec.Labels),
  );
  const views = sortedBy(
    mine.map((t) => snap.taskView(t)),
    NODE_TASK_ORDER,
  );
  return paginate(views, NODE_TASK_ORDER, (t) => q.service === undefined || t.service === q.service, q);
}

// ---- cache keys ----------------------------------------------------------------------------

/** Keys of frozen queries (the fast reads keep one per query string and pass it on every request). */
const frozenKeys = new WeakMap<object, string>();

/** The same query in any parameter order gives the same key. */
export function queryKey(q: ServiceListQuery | NodeListQuery | TaskListQuery | NodeTaskListQuery): string {
  const kept = frozenKeys.get(q);
  if (kept !== undefined) return kept;
  const r = q as Record<string, unknown>;
  const key = JSON.stringify(
    Object.keys(r)
      .filter((k) => r[k] !== undefined)
      .sort()
      .map((k) => [k, r[k]]),
  );
  if (Object.isFrozen(q)) frozenKeys.set(q, key);
  return key;
}
