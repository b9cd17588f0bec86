import type { INestApplication, Type } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { IS_PUBLIC, ROLES_KEY } from '../common/auth-decorators';
import type { Role } from '../common/vocabulary';
import { sortKeys } from './json';
import generated from './responses.generated.json';

type Json = Record<string, unknown>;
type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
  responses: Record<string, Json>;
  security?: unknown[];
  [key: string]: unknown;
};

const ERROR_SCHEMA = 'ErrorBody';

/** The one error body of the API (src/common/exception.filter.ts). */
const ERROR_BODY: Json = {
  type: 'object',
  required: ['statusCode', 'error', 'message', 'details', 'correlationId'],
  additionalProperties: true,
  description:
    'Every error has this shape; a refusal may add what the caller needs to act on (heldCallIds)',
  properties: {
    statusCode: { type: 'integer', example: 400 },
    error: { type: 'string', example: 'Bad Request' },
    message: { type: 'string', example: 'summary: must be at least 40 characters' },
    details: {
      type: 'array',
      description: 'One entry per field at fault (400); empty otherwise',
      items: {
        type: 'object',
        required: ['field', 'message'],
        additionalProperties: false,
        properties: {
          field: { type: 'string', example: 'summary' },
          message: { type: 'string', example: 'must be at least 40 characters' },
        },
      },
    },
    correlationId: {
      type: 'string',
      nullable: true,
      example: 'b7c6f0de-2f55-4c55-9a3e-1f0a3c7d9b21',
    },
    heldCallIds: {
      type: 'array',
      items: { type: 'string', format: 'uuid' },
      description: '409 from POST /api/queue/claim: the calls you already hold',
    },
  },
};

const error = (status: number, error: string, message: string, description: string): Json => ({
  description,
  content: {
    'application/json': {
      schema: { $ref: `#/components/schemas/${ERROR_SCHEMA}` },
      example: {
        statusCode: status,
        error,
        message,
        details:
          status === 400 ? [{ field: message.split(':')[0], message: message.split(': ')[1] }] : [],
        correlationId: 'b7c6f0de-2f55-4c55-9a3e-1f0a3c7d9b21',
      },
    },
  },
});

const STANDARD_ERRORS = {
  400: error(
    400,
    'Bad Request',
    'limit: must not be greater than 500',
    'Invalid input: every field at fault in details',
  ),
  401: error(401, 'Unauthorized', 'A valid bearer token is required', 'No valid bearer token'),
  403: error(
    403,
    'Forbidden',
    'This needs one of the roles HEAD_OF_OMU, SECURITY_MANAGER',
    'Not one of the roles, or a record of an establishment that is not yours (audited)',
  ),
  404: error(404, 'Not Found', 'No such record', 'No such record'),
  409: error(409, 'Conflict', 'The record is not in a state that allows this', 'Conflict'),
  429: error(
    429,
    'Too Many Requests',
    'Too many failed sign-ins; try again later',
    'Too many failed sign-ins (Retry-After)',
  ),
  503: error(
    503,
    'Service Unavailable',
    'The service is busy; try again in a few seconds',
    'Busy or a dependency unavailable; try again after Retry-After seconds',
  ),
};

const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer' },
  },
};

function controllersByName(app: INestApplication): Map<string, Type> {
  const out = new Map<string, Type>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const metatype = wrapper.metatype as Type | null;
      if (metatype) out.set(metatype.name, metatype);
    }
  }
  return out;
}

/**
 * The OpenAPI document: Nest's scan of the controllers and DTOs, then for every operation its
 * roles (from `@Roles`, as `x-roles` and in the description), the JSON schema of its success body
 * (responses.generated.json, from the handlers' return types) and the error responses it can give.
 * Served at /api/docs-json and written to openapi.json by `npm run openapi`.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Monitor prisoner communications')
      .setDescription(
        'Listening queue, structured monitoring logs and escalations for monitored prisoner calls. ' +
          'Every operation names the roles that may call it (x-roles); every error has the ErrorBody shape.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  const controllers = controllersByName(app);
  const responses = generated.operations as Record<string, Json>;
  const schemas = (document.components ??= {}).schemas ?? {};
  for (const [name, schema] of Object.entries(generated.schemas as Record<string, Json>)) {
    if (name in schemas) throw new Error(`OpenAPI: the response type ${name} shadows a DTO`);
    schemas[name] = schema;
  }
  schemas[ERROR_SCHEMA] = ERROR_BODY;
  document.components.schemas = schemas;

  for (const item of Object.values(document.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      const [controllerName, handlerName] = (op.operationId ?? '').split('_');
      const controller = controllers.get(controllerName);
      const handler = (controller?.prototype as Record<string, object> | undefined)?.[handlerName];
      if (!controller || !handler) throw new Error(`OpenAPI: no handler for ${op.operationId}`);
      const roles = (Reflect.getMetadata(ROLES_KEY, handler) ??
        Reflect.getMetadata(ROLES_KEY, controller) ??
        null) as Role[] | null;
      const isPublic = Boolean(
        Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller),
      );
      const who = isPublic
        ? 'No token needed.'
        : roles
          ? `Roles: ${roles.join(', ')}.`
          : 'Any signed-in user.';
      op.description = op.description ? `${op.description}\n\n${who}` : who;
      op['x-roles'] = isPublic ? [] : (roles ?? ['ANY']);
      if (isPublic) op.security = [];

      const key = `${controllerName}.${handlerName}`;
      if (!Object.keys(op.responses).some((s) => /^2\d\d$/.test(s))) {
        // An explicit error response (@ApiConflictResponse) stops Nest adding the success one.
        const code =
          (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ??
          (method === 'post' ? 201 : 200);
        op.responses[String(code)] = { description: 'Success' };
      }
      const success = Object.keys(op.responses).find((s) => /^2\d\d$/.test(s) && s !== '204');
      if (success && responses[key]) {
        const response = (op.responses[success] ??= {});
        const content = ((response.content as Json | undefined) ?? {}) as Record<string, Json>;
        content['application/json'] = { schema: responses[key] };
        response.content = content;
        response.description ||= 'Success';
      }
      for (const [status, response] of Object.entries(op.responses)) {
        if (!response.description)
          response.description = status === '204' ? 'No content' : 'Success';
      }

      const add = (status: keyof typeof STANDARD_ERRORS) => {
        const existing = op.responses[status];
        const standard = STANDARD_ERRORS[status];
        op.responses[status] = existing
          ? { ...standard, description: existing.description || standard.description }
          : standard;
        if (status === 503 || status === 429) op.responses[status].headers = RETRY_AFTER;
      };
      const hasInput = Boolean(op.requestBody) || (op.parameters ?? []).length > 0;
      if (hasInput) add(400);
      if (!isPublic) add(401);
      if (!isPublic) add(403);
      if ((op.parameters ?? []).some((p) => p.in === 'path')) add(404);
      if (op.responses['409']) add(409);
      if (op.responses['429']) add(429);
      if (key === 'HealthController.check') {
        // The health check answers 503 with the same body, naming the dependency that is down.
        op.responses['503'] = {
          description: 'A dependency is down',
          content: { 'application/json': { schema: responses[key] } },
        };
      } else {
        add(503);
      }
    }
  }
  // Nest registers `Object` for an untyped property; nothing refers to it once all are typed.
  if (!JSON.stringify(document.paths).includes('#/components/schemas/Object'))
    delete schemas.Object;
  return sortKeys(document) as OpenAPIObject;
}
