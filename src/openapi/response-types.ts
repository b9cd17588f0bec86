/**
 * Reads what every controller method returns, from the TypeScript types, and writes it as OpenAPI
 * schemas: the job the Swagger CLI plugin does at `nest build`, but the plugin only reads classes,
 * and our responses are interfaces built by the mappers. Run by `npm run openapi` (never by the
 * api: it needs the compiler, a dev dependency); its output, responses.generated.json, is committed
 * and read by document.ts, so the build, the served document and ts-jest all see the same schemas.
 */
import * as path from 'node:path';
import * as ts from 'typescript';

export interface JsonSchema {
  [key: string]: unknown;
}

export interface ResponseTypes {
  /** `CallsController.list` → the schema of its JSON body; absent for a method with no JSON body. */
  operations: Record<string, JsonSchema>;
  /** Named interfaces and type aliases the operations refer to (`#/components/schemas/Name`). */
  schemas: Record<string, JsonSchema>;
}

const HTTP_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete']);
/** Types that never reach a JSON body (a streamed file; a rendered HTML page). */
const NOT_JSON = new Set(['StreamableFile', 'Buffer', 'Readable']);

function decoratorNames(node: ts.Node): string[] {
  const decorators = ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
  return decorators.map((d) => {
    const e = d.expression;
    const callee = ts.isCallExpression(e) ? e.expression : e;
    return ts.isIdentifier(callee) ? callee.text : callee.getText();
  });
}

/** `@Res()` without `passthrough`: the handler writes the response itself (a file, a redirect). */
function writesOwnResponse(method: ts.MethodDeclaration): boolean {
  return method.parameters.some((p) =>
    (ts.getDecorators(p) ?? []).some((d) => {
      const e = d.expression;
      return (
        ts.isCallExpression(e) &&
        ts.isIdentifier(e.expression) &&
        e.expression.text === 'Res' &&
        !e.arguments.some((a) => /passthrough\s*:\s*true/.test(a.getText()))
      );
    }),
  );
}

export function extractResponseTypes(rootDir: string): ResponseTypes {
  const configPath = path.join(rootDir, 'tsconfig.build.json');
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error(`cannot read ${configPath}`);
  const files = config.fileNames.filter((f) => /[\\/]src[\\/].+\.controller\.ts$/.test(f));
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();

  const schemas: Record<string, JsonSchema> = {};
  const named = new Map<ts.Type, string>();
  const operations: Record<string, JsonSchema> = {};

  const nameOf = (type: ts.Type): string | null => {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    if (!symbol) return null;
    const name = symbol.getName();
    if (!/^[A-Z]\w*$/.test(name)) return null; // anonymous object literal types (__type, __object)
    const generic =
      (type.aliasTypeArguments?.length ?? 0) > 0 ||
      ((type as ts.TypeReference).typeArguments?.length ?? 0) > 0;
    return generic ? null : name;
  };

  const toSchema = (type: ts.Type, stack: ts.Type[]): JsonSchema => {
    const f = type.getFlags();
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (f & ts.TypeFlags.StringLiteral) {
      return { type: 'string', enum: [(type as ts.StringLiteralType).value] };
    }
    if (f & ts.TypeFlags.String || f & ts.TypeFlags.TemplateLiteral) return { type: 'string' };
    if (f & ts.TypeFlags.NumberLiteral || f & ts.TypeFlags.Number) return { type: 'number' };
    if (f & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return { type: 'boolean' };
    if (f & ts.TypeFlags.BigInt) return { type: 'string' };
    if (type.isUnion()) return unionSchema(type.types, stack);
    if (type.isIntersection()) {
      return objectSchema(type, stack);
    }
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      const args = checker.getTypeArguments(type as ts.TypeReference);
      const items = args.length === 1 ? toSchema(args[0], stack) : unionSchema([...args], stack);
      return { type: 'array', items };
    }
    const symbolName = type.getSymbol()?.getName();
    if (symbolName === 'Date') return { type: 'string', format: 'date-time' };
    if (f & ts.TypeFlags.Object) {
      const name = nameOf(type);
      if (!name) return objectSchema(type, stack);
      const known = named.get(type);
      if (known) return { $ref: `#/components/schemas/${known}` };
      let unique = name;
      for (let n = 2; unique in schemas; n += 1) unique = `${name}${n}`;
      named.set(type, unique);
      schemas[unique] = {}; // reserved: a type that refers to itself gets the reference
      schemas[unique] = objectSchema(type, stack);
      return { $ref: `#/components/schemas/${unique}` };
    }
    return {};
  };

  const unionSchema = (members: ts.Type[], stack: ts.Type[]): JsonSchema => {
    let nullable = false;
    const rest: ts.Type[] = [];
    for (const m of members) {
      const f = m.getFlags();
      if (f & ts.TypeFlags.Null) nullable = true;
      else if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) continue;
      else rest.push(m);
    }
    const withNull = (s: JsonSchema): JsonSchema => {
      if (!nullable) return s;
      if (s.$ref) return { allOf: [s], nullable: true };
      return { ...s, nullable: true };
    };
    if (rest.length === 0) return nullable ? { nullable: true } : {};
    if (rest.every((m) => m.getFlags() & ts.TypeFlags.BooleanLiteral)) {
      return withNull({ type: 'boolean' });
    }
    if (rest.every((m) => m.getFlags() & ts.TypeFlags.StringLiteral)) {
      const values = rest.map((m) => (m as ts.StringLiteralType).value).sort();
      return withNull({ type: 'string', enum: values });
    }
    if (rest.every((m) => m.getFlags() & (ts.TypeFlags.NumberLiteral | ts.TypeFlags.Number))) {
      return withNull({ type: 'number' });
    }
    // true | false | 'x' arrive as separate members: fold the booleans back together.
    const parts: JsonSchema[] = [];
    const seen = new Set<string>();
    for (const m of rest) {
      const s = toSchema(m, stack);
      const key = JSON.stringify(s);
      if (!seen.has(key)) {
        seen.add(key);
        parts.push(s);
      }
    }
    if (parts.length === 1) return withNull(parts[0]);
    const out: JsonSchema = { oneOf: parts };
    if (nullable) out.nullable = true;
    return out;
  };

  const objectSchema = (type: ts.Type, stack: ts.Type[]): JsonSchema => {
    if (stack.includes(type) || stack.length > 12) return {};
    const inner = [...stack, type];
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const prop of checker.getPropertiesOfType(type)) {
      const decl = prop.valueDeclaration ?? prop.declarations?.[0];
      const propType = decl
        ? checker.getTypeOfSymbolAtLocation(prop, decl)
        : checker.getTypeOfSymbol(prop);
      if (propType.getCallSignatures().length > 0) continue; // methods are not serialised
      const optional =
        (prop.getFlags() & ts.SymbolFlags.Optional) !== 0 ||
        (propType.isUnion() &&
          propType.types.some((t) => t.getFlags() & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
      properties[prop.getName()] = toSchema(propType, inner);
      if (!optional) required.push(prop.getName());
    }
    const out: JsonSchema = { type: 'object', properties };
    if (required.length) out.required = required;
    const index = checker
      .getIndexInfosOfType(type)
      .find((i) => i.keyType.flags & ts.TypeFlags.String);
    out.additionalProperties = index ? toSchema(index.type, inner) : false;
    return out;
  };

  for (const file of program.getSourceFiles()) {
    if (!files.includes(path.resolve(file.fileName)) && !files.includes(file.fileName)) continue;
    for (const cls of file.statements.filter(ts.isClassDeclaration)) {
      if (!cls.name || !decoratorNames(cls).includes('Controller')) continue;
      for (const member of cls.members) {
        if (!ts.isMethodDeclaration(member) || !ts.isIdentifier(member.name)) continue;
        const decorators = decoratorNames(member);
        if (!decorators.some((d) => HTTP_DECORATORS.has(d))) continue;
        if (writesOwnResponse(member)) continue;
        const signature = checker.getSignatureFromDeclaration(member);
        if (!signature) continue;
        const returned = checker.getAwaitedType(checker.getReturnTypeOfSignature(signature));
        if (!returned) continue;
        let members = returned.isUnion() ? returned.types : [returned];
        members = members.filter((m) => !NOT_JSON.has(m.getSymbol()?.getName() ?? ''));
        // A handler that also renders HTML (@ApiProduces) returns its page as a string.
        if (decorators.includes('ApiProduces')) {
          members = members.filter((m) => !(m.getFlags() & ts.TypeFlags.String));
        }
        const body = members.filter(
          (m) => !(m.getFlags() & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)),
        );
        if (body.length === 0) continue;
        const schema = body.length === 1 ? toSchema(body[0], []) : unionSchema(members, []);
        operations[`${cls.name.text}.${member.name.text}`] = schema;
      }
    }
  }
  return { operations, schemas };
}
