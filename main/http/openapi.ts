// /api/openapi.json, generated from the route table and the contract's zod schemas, so the
// document can never disagree with what the service accepts.
import { z } from 'zod';
import { operations } from '../service/contract.ts';
import { ROUTES, type Route } from './routes.ts';

type JsonSchema = { type?: string; properties?: Record<string, unknown>; required?: string[]; [key: string]: unknown };

const errorBody = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string' },
    message: { type: 'object', required: ['ko', 'en'], properties: { ko: { type: 'string' }, en: { type: 'string' } } },
    field: { type: 'string' },
  },
};

function inputSchema(route: Route): JsonSchema {
  const schema = z.toJSONSchema(operations[route.operation].input, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete schema.$schema;
  return schema;
}

function operationObject(route: Route): Record<string, unknown> {
  const spec = operations[route.operation];
  const schema = inputSchema(route);
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const parameters: unknown[] = [];
  const pathFields = new Set<string>();
  for (const [name, p] of Object.entries(route.params ?? {})) {
    pathFields.add(p.field);
    parameters.push({ name, in: 'path', required: true, schema: properties[p.field] ?? { type: 'string' } });
  }
  for (const [name, q] of Object.entries(route.query ?? {})) {
    parameters.push({ name, in: 'query', required: required.has(q.field), schema: properties[q.field] ?? { type: 'string' } });
  }
  const result: Record<string, unknown> = {
    operationId: route.download ? `${route.operation}.download` : route.operation,
    summary: spec.summary.en,
    description: `${spec.summary.ko}. Least role: ${spec.role}.${spec.audited ? ' Recorded in the activity log.' : ''}`,
    'x-role': spec.role,
    parameters,
    responses: {
      '200': route.download
        ? { description: 'The file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }
        : { description: 'OK', content: { 'application/json': { schema: {} } } },
      default: { description: 'An error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    },
  };
  if (route.body) {
    const body: JsonSchema = { ...schema, properties: Object.fromEntries(Object.entries(properties).filter(([k]) => !pathFields.has(k))) };
    if (schema.required) body.required = schema.required.filter((k) => !pathFields.has(k));
    result.requestBody = { required: true, content: { 'application/json': { schema: body } } };
  }
  if (spec.role !== 'PUBLIC') result.security = [{ bearer: [] }];
  return result;
}

export function openApiDocument(serverUrl?: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[route.method.toLowerCase()] = operationObject(route);
  }
  paths['/api/events'] = {
    get: {
      operationId: 'events.stream',
      summary: 'Server-sent events of executions, with live counts (front desk: addPassesJob only)',
      parameters: [{ name: 'token', in: 'query', required: false, schema: { type: 'string' }, description: 'for EventSource, which cannot send headers' }],
      responses: { '200': { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } } },
      security: [{ bearer: [] }],
    },
  };
  paths['/api/rpc/{operation}'] = {
    post: {
      operationId: 'rpc',
      summary: "Any operation of the contract by name, the input as the body (the renderer's bridge)",
      parameters: [{ name: 'operation', in: 'path', required: true, schema: { type: 'string', enum: Object.keys(operations) } }],
      requestBody: { required: false, content: { 'application/json': { schema: { type: 'object' } } } },
      responses: { '200': { description: 'OK' }, default: { description: 'An error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
      security: [{ bearer: [] }],
    },
  };
  return {
    openapi: '3.1.0',
    info: { title: 'Pass Console API', version: '1', description: 'Sign in with POST /api/session, then send Authorization: Bearer <token>.' },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: errorBody },
    },
  };
}
