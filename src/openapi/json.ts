/** Objects with their keys in order, so that the written document changes only when the API does. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** How the committed JSON files are written: keys in order, two-space indent, a final newline. */
export const asJsonFile = (value: unknown): string =>
  `${JSON.stringify(sortKeys(value), null, 2)}\n`;
