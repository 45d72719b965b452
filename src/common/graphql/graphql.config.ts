import { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLFormattedError } from 'graphql';
import { AppConfig } from '../../config/app-config';
import { AuthService } from '../auth/auth.service';
import { JSONScalar } from '../schema';
import { queryLimitsRule } from './query-limits';

/** Apollo settings: code-first schema, graphql-ws subscriptions authenticated at connection_init. */
export function graphqlOptions(config: AppConfig, auth: AuthService): ApolloDriverConfig {
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
    context: (ctx: any) => {
      // HTTP: { req, reply }; graphql-ws: { extra, connectionParams }
      if (ctx?.extra?.caller) return { caller: ctx.extra.caller, req: { headers: {}, caller: ctx.extra.caller } };
      return { req: ctx.req ?? ctx.request, reply: ctx.reply };
    },
    formatError: (formatted: GraphQLFormattedError): GraphQLFormattedError => {
      const { stacktrace: _s, originalError: _o, exception: _e, queryLimit, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
      if (queryLimit) extensions.code = 'QUERY_TOO_COMPLEX';
      return { ...formatted, extensions };
    },
  };
}
