import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Every establishment column is char(3). A parameter typed text (`$1::text[] IS NULL OR
 * c.establishment_code = ANY($1)`) makes PostgreSQL compare the column as text, so no index on it
 * can be used: at 5,000,000 calls `GET /api/calls?establishment=…` read the whole table twice
 * (2.5 s) and the wide reads of the benchmark timed out. Such parameters are typed char(3).
 */
const SRC = path.resolve(__dirname, '..');
/** A parameter cast to text (or text[]) and compared with an establishment column. */
const TEXT_TYPED =
  /\$(\d+)::text(\[\])? IS NULL OR [\w.]*(establishment_code|\bcode) = (ANY\(\$\1\)|\$\1(?![\d:]))/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sources(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.spec.ts') ? [p] : [];
  });
}

describe('establishment parameters in SQL', () => {
  it('are never typed text where they are compared with a char(3) column', () => {
    const textTyped = new RegExp(TEXT_TYPED.source, 'g');
    const found = sources(SRC).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(textTyped)].map(
        (m) => `${path.relative(SRC, file)}: ${m[0]}`,
      ),
    );
    expect(found).toEqual([]);
  });

  it('finds the fault it looks for', () => {
    const textTyped = TEXT_TYPED;
    expect(textTyped.test('($1::text[] IS NULL OR c.establishment_code = ANY($1))')).toBe(true);
    expect(textTyped.test('($3::text IS NULL OR establishment_code = $3)')).toBe(true);
    expect(textTyped.test('($1::char(3)[] IS NULL OR c.establishment_code = ANY($1))')).toBe(false);
    expect(textTyped.test('($6::text[] IS NULL OR establishment_code = ANY($6::char(3)[]))')).toBe(
      false,
    );
  });
});
