/**
 * `npm run openapi`: reads the handlers' return types into responses.generated.json, then builds
 * the document from the application module (in Nest's preview mode: no database, no Redis) and
 * writes openapi.json at the repository root. Both files are committed; the drift check
 * (test/e2e/openapi-drift.e2e-spec.ts) fails when either differs from what the code gives.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { asJsonFile } from './json';
import { extractResponseTypes } from './response-types';

const ROOT = path.resolve(__dirname, '../../..');
export const RESPONSES_FILE = path.join(ROOT, 'src/openapi/responses.generated.json');
export const DOCUMENT_FILE = path.join(ROOT, 'openapi.json');

async function main(): Promise<void> {
  const responses = asJsonFile(extractResponseTypes(ROOT));
  writeFileSync(RESPONSES_FILE, responses);
  // The compiled document.js reads the copy tsc put beside it in dist.
  writeFileSync(path.join(__dirname, 'responses.generated.json'), responses);
  // Imported after the responses are written: document.ts reads them when it loads.
  const { previewDocument } = await import('./preview');
  writeFileSync(DOCUMENT_FILE, asJsonFile(await previewDocument()));
  console.log(
    `wrote ${path.relative(ROOT, RESPONSES_FILE)} and ${path.relative(ROOT, DOCUMENT_FILE)}`,
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
