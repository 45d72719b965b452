/**
 * Swarm placement constraints and spread preferences, parsed and checked before they reach the
 * engine. Matching follows swarmkit `manager/constraint/constraint.go`: `key op value`, the
 * operators `==` and `!=`, values compared case-insensitively, a missing label is "".
 */

export type ConstraintOperator = '==' | '!=';

export interface Constraint {
  /** The expression as written, for messages. */
  expression: string;
  /** node.id | node.hostname | node.role | node.platform.os | node.platform.arch | node.labels.<k> | engine.labels.<k> */
  attribute: string;
  /** For node.labels / engine.labels: the label key (case-sensitive, as in swarmkit). */
  label?: string;
  operator: ConstraintOperator;
  value: string;
}

/** What constraints and spread preferences look at on a node. */
export interface NodeAttributes {
  id: string;
  hostname: string;
  role: string;
  os: string;
  arch: string;
  labels: Record<string, string>;
  engineLabels: Record<string, string>;
}

export class ConstraintError extends Error {
  constructor(
    readonly expression: string,
    readonly reason: string,
  ) {
    super(`"${expression}": ${reason}`);
  }
}

const NODE_LABELS = 'node.labels.';
const ENGINE_LABELS = 'engine.labels.';
const ATTRIBUTES = ['node.id', 'node.hostname', 'node.role', 'node.platform.os', 'node.platform.arch'];
// swarmkit's own grammar: a key like `node.labels.zone`, a value without operator characters.
const KEY = /^[a-z_][a-z0-9\-_.]+$/i;
const VALUE = /^[a-z0-9:\-_\s.*()?+[\]\\^$|/]+$/i;
const ROLES = ['manager', 'worker'];
const SUPPORTED = `${ATTRIBUTES.join(', ')}, ${NODE_LABELS}<key>, ${ENGINE_LABELS}<key>`;

function labelKey(key: string, prefix: string): string | undefined {
  return key.length > prefix.length && key.slice(0, prefix.length).toLowerCase() === prefix ? key.slice(prefix.length) : undefined;
}

/** Parses one expression such as `node.labels.zone==a`; throws ConstraintError saying what is wrong. */
export function parseConstraint(expression: unknown): Constraint {
  if (typeof expression !== 'string') throw new ConstraintError(String(expression), 'must be a string like "node.labels.zone==a"');
  const e = expression;
  // swarmkit tries "==" before "!=", splitting at the first occurrence.
  const operator = (['==', '!='] as const).find((op) => e.includes(op));
  if (!operator) {
    const hint = /[<>~]|=/.test(e) ? ' (only == and != are supported)' : '';
    throw new ConstraintError(e, `expected an operator == or !=${hint}`);
  }
  const at = e.indexOf(operator);
  const key = e.slice(0, at).trim();
  const value = e.slice(at + 2).trim();
  if (!key) throw new ConstraintError(e, 'missing attribute before the operator');
  if (!KEY.test(key)) throw new ConstraintError(e, `attribute "${key}" is invalid`);
  if (!value) throw new ConstraintError(e, 'missing value after the operator');
  if (/^[=!]/.test(value) || value.includes('==') || value.includes('!=')) throw new ConstraintError(e, 'more than one operator');
  if (!VALUE.test(value)) throw new ConstraintError(e, `value "${value}" is invalid (letters, digits and :-_.*()?+[]\\^$|/ and spaces only)`);

  const lower = key.toLowerCase();
  const nodeLabel = labelKey(key, NODE_LABELS);
  if (nodeLabel !== undefined) return { expression: e, attribute: NODE_LABELS + '*', label: nodeLabel, operator, value };
  const engineLabel = labelKey(key, ENGINE_LABELS);
  if (engineLabel !== undefined) return { expression: e, attribute: ENGINE_LABELS + '*', label: engineLabel, operator, value };
  if (lower === 'node.labels' || lower === 'engine.labels' || lower === 'node.labels.' || lower === 'engine.labels.') {
    throw new ConstraintError(e, `"${key}" needs a label key, like ${key.replace(/\.$/, '')}.zone`);
  }
  if (!ATTRIBUTES.includes(lower)) throw new ConstraintError(e, `unknown attribute "${key}" (supported: ${SUPPORTED})`);
  if (lower === 'node.role' && !ROLES.includes(value.toLowerCase())) {
    throw new ConstraintError(e, `node.role is manager or worker, not "${value}"`);
  }
  return { expression: e, attribute: lower, operator, value };
}

/**
 * Parses a list, collecting every problem as {path, message} with the path of the expression
 * (`placement.constraints[1]`), so one 400 names them all.
 */
export function parseConstraints(list: unknown[], path = 'constraints'): { constraints: Constraint[]; errors: Array<{ path: string; message: string }> } {
  const constraints: Constraint[] = [];
  const errors: Array<{ path: string; message: string }> = [];
  list.forEach((item, i) => {
    try {
      constraints.push(parseConstraint(item));
    } catch (err) {
      if (!(err instanceof ConstraintError)) throw err;
      errors.push({ path: `${path}[${i}]`, message: err.message });
    }
  });
  return { constraints, errors };
}

function valueOf(c: Constraint, n: NodeAttributes): string {
  switch (c.attribute) {
    case 'node.id':
      return n.id;
    case 'node.hostname':
      return n.hostname;
    case 'node.role':
      return n.role;
    case 'node.platform.os':
      return n.os;
    case 'node.platform.arch':
      return n.arch;
    case NODE_LABELS + '*':
      return n.labels[c.label!] ?? '';
    default:
      return n.engineLabels[c.label!] ?? '';
  }
}

/** swarmkit's Match: full-string, case-insensitive comparison. */
export function constraintMatches(c: Constraint, n: NodeAttributes): boolean {
  const equal = c.value.toLowerCase() === valueOf(c, n).toLowerCase();
  return c.operator === '==' ? equal : !equal;
}

/** The first constraint a node fails, or undefined when it satisfies them all. */
export function firstUnmet(constraints: Constraint[], n: NodeAttributes): Constraint | undefined {
  return constraints.find((c) => !constraintMatches(c, n));
}

export interface SpreadDescriptor {
  descriptor: string;
  source: 'node' | 'engine';
  label: string;
}

/**
 * A spread preference: swarmkit accepts any string but silently ignores everything except
 * `node.labels.<key>` and `engine.labels.<key>` (manager/scheduler/nodeset.go), so anything
 * else is refused here rather than ignored there.
 */
export function parseSpread(descriptor: unknown): SpreadDescriptor {
  if (typeof descriptor !== 'string' || !descriptor.trim()) throw new ConstraintError(String(descriptor ?? ''), 'spread must name node.labels.<key> or engine.labels.<key>');
  const d = descriptor.trim();
  const node = labelKey(d, NODE_LABELS);
  if (node !== undefined && node.trim()) return { descriptor: d, source: 'node', label: node };
  const engine = labelKey(d, ENGINE_LABELS);
  if (engine !== undefined && engine.trim()) return { descriptor: d, source: 'engine', label: engine };
  throw new ConstraintError(d, 'spread must name node.labels.<key> or engine.labels.<key> (Swarm ignores anything else)');
}

/** The value a node has for a spread level; nodes without the label share the value "". */
export function spreadValue(s: SpreadDescriptor, n: NodeAttributes): string {
  return (s.source === 'node' ? n.labels[s.label] : n.engineLabels[s.label]) ?? '';
}
