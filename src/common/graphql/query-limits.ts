import {
  ASTVisitor,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  getNamedType,
  isListType,
  isNonNullType,
  GraphQLOutputType,
  GraphQLObjectType,
  isObjectType,
  ValidationRule,
} from 'graphql';

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
}

const LIST_FACTOR = 10;

function tooComplex(message: string): GraphQLError {
  // Apollo rewrites the code of every validation error; `queryLimit` survives and
  // formatError (graphql.config.ts) restores the code.
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', statusCode: 400, queryLimit: true } });
}

function isList(t: GraphQLOutputType): boolean {
  return isListType(isNonNullType(t) ? t.ofType : t);
}

/**
 * Depth, cost and alias limits checked before execution. Cost counts each field once, times
 * LIST_FACTOR for every list it sits in, so nested lists (services { tasks }) grow fast.
 */
export function queryLimitsRule(limits: QueryLimits): ValidationRule {
  return (ctx: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of ctx.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

    function walk(set: SelectionSetNode, parent: GraphQLObjectType | undefined, depth: number, multiplier: number, seen: Set<string>, acc: { depth: number; cost: number; aliases: number }) {
      acc.depth = Math.max(acc.depth, depth);
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          const f = sel as FieldNode;
          if (f.alias) acc.aliases++;
          const def = parent?.getFields()[f.name.value];
          const listy = def ? isList(def.type) : false;
          acc.cost += multiplier;
          if (f.selectionSet) {
            const named = def ? getNamedType(def.type) : undefined;
            walk(f.selectionSet, named && isObjectType(named) ? named : undefined, depth + 1, listy ? multiplier * LIST_FACTOR : multiplier, seen, acc);
          }
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          const t = sel.typeCondition ? ctx.getSchema().getType(sel.typeCondition.name.value) : parent;
          walk(sel.selectionSet, t && isObjectType(t) ? t : parent, depth, multiplier, seen, acc);
        } else if (sel.kind === Kind.FRAGMENT_SPREAD) {
          const name = sel.name.value;
          const frag = fragments.get(name);
          if (!frag || seen.has(name)) continue; // cycles are reported by graphql's own rules
          seen.add(name);
          const t = ctx.getSchema().getType(frag.typeCondition.name.value);
          walk(frag.selectionSet, t && isObjectType(t) ? t : parent, depth, multiplier, seen, acc);
          seen.delete(name);
        }
      }
    }

    return {
      OperationDefinition(op: OperationDefinitionNode) {
        const root =
          op.operation === 'query' ? ctx.getSchema().getQueryType() : op.operation === 'mutation' ? ctx.getSchema().getMutationType() : ctx.getSchema().getSubscriptionType();
        const acc = { depth: 0, cost: 0, aliases: 0 };
        walk(op.selectionSet, root ?? undefined, 1, 1, new Set(), acc);
        if (acc.depth > limits.maxDepth) ctx.reportError(tooComplex(`query depth ${acc.depth} exceeds the limit of ${limits.maxDepth}`));
        if (acc.aliases > limits.maxAliases) ctx.reportError(tooComplex(`${acc.aliases} aliases exceed the limit of ${limits.maxAliases}`));
        if (acc.cost > limits.maxCost) ctx.reportError(tooComplex(`query cost ${acc.cost} exceeds the limit of ${limits.maxCost}`));
      },
    };
  };
}
