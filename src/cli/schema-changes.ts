import { buildSchema, GraphQLSchema } from 'graphql';

export interface AcceptedChange {
  type: string;
  path?: string;
  reason: string;
}

export interface SchemaChange {
  type: string;
  path?: string;
  message: string;
  level: 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING';
}

export async function schemaChanges(before: string, after: string): Promise<SchemaChange[]> {
  const { diff } = await import('@graphql-inspector/core');
  const changes = await diff(buildSchema(before) as GraphQLSchema, buildSchema(after) as GraphQLSchema);
  return changes.map((c) => ({ type: String(c.type), path: c.path, message: c.message, level: c.criticality.level as SchemaChange['level'] }));
}

/** Breaking changes not declared in the accepted list; a declaration matches on type and path. */
export function undeclared(changes: SchemaChange[], accepted: AcceptedChange[]): SchemaChange[] {
  return changes.filter((c) => c.level === 'BREAKING' && !accepted.some((a) => a.type === c.type && (a.path ?? null) === (c.path ?? null)));
}
