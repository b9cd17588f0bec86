/**
 * Checks a response body against the OpenAPI document: the subset of OpenAPI 3.0 schemas the
 * document uses (type, nullable, enum, properties, required, additionalProperties, items, oneOf,
 * allOf, $ref, format date-time). Written here rather than with ajv: ajv reads JSON Schema, not
 * OpenAPI 3.0 (`nullable`, references into components), and the subset is small.
 */
type Schema = Record<string, unknown>;
export interface OpenApiDoc {
  paths: Record<string, Record<string, { responses: Record<string, Schema> }>>;
  components: { schemas: Record<string, Schema> };
}

export function schemaProblems(
  doc: OpenApiDoc,
  schema: Schema,
  value: unknown,
  at = '$',
): string[] {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components.schemas[name];
    if (!target) return [`${at}: unknown schema ${name}`];
    return schemaProblems(doc, target, value, at);
  }
  if (value === null) return schema.nullable ? [] : [`${at}: null, not documented as nullable`];
  if (Array.isArray(schema.allOf)) {
    return (schema.allOf as Schema[]).flatMap((s) => schemaProblems(doc, s, value, at));
  }
  if (Array.isArray(schema.oneOf)) {
    const each = (schema.oneOf as Schema[]).map((s) => schemaProblems(doc, s, value, at));
    return each.some((p) => p.length === 0)
      ? []
      : [`${at}: matches none of oneOf: ${each.flat().join('; ')}`];
  }
  const problems: string[] = [];
  const type = schema.type as string | undefined;
  const actual = Array.isArray(value) ? 'array' : typeof value;
  if (type === 'integer' || type === 'number') {
    if (typeof value !== 'number') return [`${at}: ${actual}, documented as ${type}`];
    if (type === 'integer' && !Number.isInteger(value)) return [`${at}: not an integer`];
  } else if (type && type !== actual) {
    return [`${at}: ${actual}, documented as ${type}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    problems.push(`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  }
  if (
    schema.format === 'date-time' &&
    typeof value === 'string' &&
    Number.isNaN(Date.parse(value))
  ) {
    problems.push(`${at}: ${value} is not a date-time`);
  }
  if (type === 'array' && Array.isArray(value) && schema.items) {
    value.forEach((v, i) =>
      problems.push(...schemaProblems(doc, schema.items as Schema, v, `${at}[${i}]`)),
    );
  }
  if (type === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const obj = value as Record<string, unknown>;
    for (const name of (schema.required ?? []) as string[]) {
      if (!(name in obj)) problems.push(`${at}.${name}: required, missing`);
    }
    for (const [name, v] of Object.entries(obj)) {
      if (properties[name])
        problems.push(...schemaProblems(doc, properties[name], v, `${at}.${name}`));
      else if (schema.additionalProperties === false)
        problems.push(`${at}.${name}: not documented`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        problems.push(
          ...schemaProblems(doc, schema.additionalProperties as Schema, v, `${at}.${name}`),
        );
      }
    }
  }
  return problems;
}

/** `GET /api/calls/{id}` for a request to `/api/calls/3f…`: the documented path it was made to. */
export function documentedPath(doc: OpenApiDoc, url: string): string | null {
  const path = url.split('?')[0];
  for (const template of Object.keys(doc.paths)) {
    const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (re.test(path)) return template;
  }
  return null;
}

/** What is wrong with a JSON answer, by the documented response of its operation and status. */
export function responseProblems(
  doc: OpenApiDoc,
  method: string,
  url: string,
  status: number,
  body: unknown,
): string[] {
  const path = documentedPath(doc, url);
  if (!path) return [`${method} ${url}: not in the document`];
  const op = doc.paths[path][method.toLowerCase()];
  if (!op) return [`${method} ${path}: not in the document`];
  const response = op.responses[String(status)] as
    { content?: Record<string, { schema?: Schema }> } | undefined;
  if (!response) return [`${method} ${path}: status ${status} is not documented`];
  const schema = response.content?.['application/json']?.schema;
  if (!schema)
    return status === 204 ? [] : [`${method} ${path} ${status}: no JSON schema documented`];
  return schemaProblems(doc, schema, body).map((p) => `${method} ${path} ${status} ${p}`);
}
