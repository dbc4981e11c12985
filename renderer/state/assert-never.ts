/** Exhaustiveness check at the end of every switch over a union (STYLE.md §15). */
export function assertNever(x: never): never {
  throw new Error(`unexpected value ${JSON.stringify(x)}`);
}
