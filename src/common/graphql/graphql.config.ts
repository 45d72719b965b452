import { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLFormattedError } from 'graphql';
import { AppConfig } from '../../config/app-config';
import { AuthService } from '../auth/auth.service';
import { JSONScalar } from '../schema';
import { queryLimitsRule } from './query-limits';

/** What the events layer adds to the graphql-ws server (the subscription fan-out). */
export interface GraphqlWsExtras {
  /** graphql-ws server options (parse, validate, subscribe). */
  readonly serverOptions: Record<string, unknown>;
  /** Added to the GraphQL context of one graphql-ws operation. */
  context(ctx: { extra?: unknown }, id: string): object;
}

/** Apollo settings: code-first schema, graphql-ws subscriptions authenticated at connection_init. */
export function graphqlOptions(config: AppConfig, auth: AuthService, ws?: GraphqlWsExtras): ApolloDriverConfig {
  return {
    autoSchemaFile: true,
    sortSchema: true,
    path: '/graphql',
    playground: false,
    introspection: config.graphqlIntrospection,
    csrfPrevention: true,
    // Batched HTTP requests stay off (Apollo's default): one operation per request.
    allowBatchedHttpRequests: false,
    validationRules: [queryLimitsRule({ maxDepth: config.graphqlMaxDepth, maxCost: config.graphqlMaxCost, maxAliases: config.graphqlMaxAliases })],
    includeStacktraceInErrorResponses: false,
    resolvers: { JSON: JSONScalar },
    subscriptions: {
      'graphql-ws': {
        ...ws?.serverOptions,
        path: '/graphql',
        onConnect: (ctx: any) => {
          try {
            const params = ctx.connectionParams ?? {};
            ctx.extra.caller = auth.authenticate(params.authorization ?? params.Authorization);
            return true;
          } catch {
            return false; // graphql-ws closes with 4403 Forbidden
          }
        },
      },
    },
    context: (ctx: any, id?: string) => {
      // HTTP: { req, reply }; graphql-ws: { extra, connectionParams } and the operation id
      if (ctx?.extra?.caller) return { caller: ctx.extra.caller, req: { headers: {}, caller: ctx.extra.caller }, ...ws?.context(ctx, id ?? '') };
      return { req: ctx.req ?? ctx.request, reply: ctx.reply };
    },
    formatError: (formatted: GraphQLFormattedError): GraphQLFormattedError => {
      const { stacktrace: _s, originalError: _o, exception: _e, queryLimit, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
      if (queryLimit) extensions.code = 'QUERY_TOO_COMPLEX';
      return { ...formatted, extensions };
    },
  };
}
