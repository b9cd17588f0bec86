import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { asJsonFile } from '../../src/openapi/json';
import { extractResponseTypes } from '../../src/openapi/response-types';
import { bearer, startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';

const ROOT = path.join(__dirname, '../..');
const committed = (file: string): unknown =>
  JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));
const RUN =
  'the API changed: run `npm run openapi` and commit openapi.json and src/openapi/responses.generated.json';

describe('the OpenAPI document: what is served is what is committed, and it is complete', () => {
  let api: TestApi;
  let served: {
    paths: Record<
      string,
      Record<string, Record<string, unknown> & { responses: Record<string, { content?: object }> }>
    >;
  };

  beforeAll(async () => {
    api = await startApi();
    const s = await Scenario.create(api);
    served = (await api.http.get('/api/docs-json').set(bearer(s.adminToken)).expect(200)).body;
  });
  afterAll(() => api.close());

  it('serves exactly the committed openapi.json', () => {
    const drift = JSON.stringify(served) === JSON.stringify(committed('openapi.json'));
    if (!drift) expect(served).toEqual(committed('openapi.json')); // shows the difference
    expect({ sameAsCommitted: drift, fix: RUN }).toEqual({ sameAsCommitted: true, fix: RUN });
  });

  it('has response schemas read from the code as it is now', () => {
    const fresh = JSON.parse(asJsonFile(extractResponseTypes(ROOT)));
    const same =
      JSON.stringify(fresh) === JSON.stringify(committed('src/openapi/responses.generated.json'));
    const sorted = (v: unknown): unknown =>
      JSON.parse(JSON.stringify(v, Object.keys(v as object).sort()));
    void sorted;
    if (!same) expect(fresh).toEqual(committed('src/openapi/responses.generated.json'));
    expect({ sameAsCommitted: same, fix: RUN }).toEqual({ sameAsCommitted: true, fix: RUN });
  }, 60_000);

  it('gives every operation a summary, its roles, a success response and the errors it can answer', () => {
    const gaps: string[] = [];
    for (const [p, item] of Object.entries(served.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const name = `${method.toUpperCase()} ${p}`;
        if (!op.summary) gaps.push(`${name}: no summary`);
        if (!Array.isArray(op['x-roles'])) gaps.push(`${name}: no x-roles`);
        const success = Object.keys(op.responses).filter((s) => /^2/.test(s));
        if (!success.some((s) => s === '204' || op.responses[s].content))
          gaps.push(`${name}: no success body`);
        if (!op.responses['503']) gaps.push(`${name}: no 503`);
        if ((op['x-roles'] as string[]).length && !op.responses['401'])
          gaps.push(`${name}: no 401`);
      }
    }
    expect(gaps).toEqual([]);
  });
});
