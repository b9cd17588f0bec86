import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { INestApplication, Type } from '@nestjs/common';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage } from 'class-validator';
import { IS_PUBLIC, ROLES_KEY } from '../../src/common/auth-decorators';
import type { Role } from '../../src/common/vocabulary';

/** One endpoint of the api as Nest has it registered: read from the app, not listed by hand. */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Express-style, with the global prefix: `/api/calls/:id/log`. */
  path: string;
  /** `POST /api/calls/:id/log`: how tests name a route. */
  key: string;
  roles: Role[] | null;
  isPublic: boolean;
  pathParams: string[];
  /** The DTO of `@Body()`, or null for none or an untyped body. */
  body: Type | null;
  hasBody: boolean;
  /** The DTO of `@Query()`, or null. */
  query: Type | null;
}

const METHODS: Partial<Record<RequestMethod, ApiRoute['method']>> = {
  [RequestMethod.GET]: 'GET',
  [RequestMethod.POST]: 'POST',
  [RequestMethod.PUT]: 'PUT',
  [RequestMethod.PATCH]: 'PATCH',
  [RequestMethod.DELETE]: 'DELETE',
};

const PLAIN_TYPES: unknown[] = [Object, String, Number, Boolean, Array, undefined];

const join = (...parts: string[]) =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter((p) => p !== '')
    .join('/');

/** Every controller method of the application, with its roles and its arguments' DTOs. */
export function apiRoutes(
  app: INestApplication,
  globalPrefix = 'api',
  excluded = ['health'],
): ApiRoute[] {
  const scanner = new MetadataScanner();
  const routes: ApiRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller || !wrapper.instance) continue;
      const prefix = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      const proto = Object.getPrototypeOf(wrapper.instance) as object;
      for (const name of scanner.getAllMethodNames(proto)) {
        const handler = (proto as Record<string, unknown>)[name] as object;
        const routePath = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const methodCode = Reflect.getMetadata(METHOD_METADATA, handler) as
          RequestMethod | undefined;
        if (routePath === undefined || methodCode === undefined) continue;
        const method = METHODS[methodCode];
        if (!method) continue;
        const local = join(prefix, routePath);
        const top = local.split('/')[1] ?? '';
        const path = excluded.includes(top) ? local : join(globalPrefix, local);
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<
          string,
          { index: number; data?: unknown }
        >;
        const types = (Reflect.getMetadata('design:paramtypes', proto, name) ?? []) as unknown[];
        let body: Type | null = null;
        let hasBody = false;
        let query: Type | null = null;
        for (const [k, arg] of Object.entries(args)) {
          const kind = Number(k.split(':')[0]) as RouteParamtypes;
          const type = types[arg.index];
          const dto = PLAIN_TYPES.includes(type) ? null : (type as Type);
          if (kind === RouteParamtypes.BODY) {
            hasBody = true;
            body = dto;
          }
          if (kind === RouteParamtypes.QUERY && arg.data === undefined) query = dto;
        }
        const roles = (Reflect.getMetadata(ROLES_KEY, handler) ??
          Reflect.getMetadata(ROLES_KEY, controller) ??
          null) as Role[] | null;
        const isPublic = Boolean(
          Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller),
        );
        routes.push({
          method,
          path,
          key: `${method} ${path}`,
          roles,
          isPublic,
          pathParams: [...path.matchAll(/:(\w+)/g)].map((m) => m[1]),
          body,
          hasBody,
          query,
        });
      }
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}

/** A property path into a body: `['threats', 0, 'quote']`. */
export type PropertyPath = (string | number)[];

/**
 * The property paths a DTO declares (class-validator rules), into nested DTOs (`@Type`) as far as
 * `depth`; an array of DTOs is entered through its first item.
 */
export function dtoPropertyPaths(dto: Type, depth = 3): PropertyPath[] {
  const out: PropertyPath[] = [];
  const walk = (cls: Type, prefix: PropertyPath, left: number) => {
    const rules = getMetadataStorage().getTargetValidationMetadatas(
      cls,
      undefined as unknown as string,
      false,
      false,
    );
    const names = [...new Set(rules.map((r) => r.propertyName))];
    for (const name of names) {
      const path = [...prefix, name];
      out.push(path);
      const typeMeta = defaultMetadataStorage.findTypeMetadata(cls, name);
      const nested = typeMeta?.typeFunction() as unknown;
      if (
        left > 0 &&
        typeof nested === 'function' &&
        !PLAIN_TYPES.includes(nested) &&
        nested !== Date
      ) {
        const isArray = rules.some(
          (r) => r.propertyName === name && (r.name === 'isArray' || r.each === true),
        );
        walk(nested as Type, isArray ? [...path, 0] : path, left - 1);
      }
    }
  };
  walk(dto, [], depth);
  return out;
}
