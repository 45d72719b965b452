import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { INestApplication } from '@nestjs/common';
import { PUBLIC_KEY, ROLE_KEY } from '../../src/common/auth/decorators';
import { Role } from '../../src/common/auth/roles';

export interface RestRoute {
  method: string;
  path: string;
  role?: Role;
  public: boolean;
  handler: string;
}

export interface GraphqlOperation {
  type: 'Query' | 'Mutation' | 'Subscription';
  name: string;
  role?: Role;
  public: boolean;
  handler: string;
}

function join(...parts: string[]): string {
  return ('/' + parts.filter(Boolean).map((p) => p.replace(/^\/|\/$/g, '')).filter(Boolean).join('/')).replace(/\/+/g, '/');
}

function methodsOf(proto: any): string[] {
  return Object.getOwnPropertyNames(proto).filter((k) => k !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, k)?.value === 'function');
}

/** Every REST route and GraphQL root operation the app serves, with the role it declares. */
export function routeTable(app: INestApplication): { rest: RestRoute[]; graphql: GraphqlOperation[] } {
  const rest: RestRoute[] = [];
  const graphql: GraphqlOperation[] = [];
  const seen = new Set<unknown>();
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const cls = wrapper.metatype as any;
      if (!cls || seen.has(cls)) continue;
      seen.add(cls);
      const base: string | string[] = Reflect.getMetadata('path', cls) ?? '';
      for (const key of methodsOf(cls.prototype)) {
        const fn = cls.prototype[key];
        const path: string | string[] | undefined = Reflect.getMetadata('path', fn);
        const method: RequestMethod | undefined = Reflect.getMetadata('method', fn);
        if (path === undefined || method === undefined) continue;
        for (const b of [base].flat()) {
          for (const p of [path].flat()) {
            rest.push({
              method: RequestMethod[method],
              path: join(b, p),
              role: Reflect.getMetadata(ROLE_KEY, fn) ?? Reflect.getMetadata(ROLE_KEY, cls),
              public: !!(Reflect.getMetadata(PUBLIC_KEY, fn) ?? Reflect.getMetadata(PUBLIC_KEY, cls)),
              handler: `${cls.name}.${key}`,
            });
          }
        }
      }
    }
    for (const wrapper of mod.providers.values()) {
      const cls = wrapper.metatype as any;
      if (!cls || typeof cls !== 'function' || !cls.prototype || seen.has(cls)) continue;
      seen.add(cls);
      for (const key of methodsOf(cls.prototype)) {
        const fn = cls.prototype[key];
        const type = Reflect.getMetadata('graphql:resolver_type', fn);
        if (type !== 'Query' && type !== 'Mutation' && type !== 'Subscription') continue;
        if (Reflect.getMetadata('graphql:resolve_property', fn)) continue;
        graphql.push({
          type,
          name: Reflect.getMetadata('graphql:resolver_name', fn) ?? key,
          role: Reflect.getMetadata(ROLE_KEY, fn) ?? Reflect.getMetadata(ROLE_KEY, cls),
          public: !!(Reflect.getMetadata(PUBLIC_KEY, fn) ?? Reflect.getMetadata(PUBLIC_KEY, cls)),
          handler: `${cls.name}.${key}`,
        });
      }
    }
  }
  return { rest, graphql };
}
