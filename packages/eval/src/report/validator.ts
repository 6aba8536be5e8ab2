import { DataError } from '@musicrec/core';

/** Type checks that throw a DataError naming the path of the offending value. */
export class Validator {
  constructor(private readonly file?: string) {}

  fail(path: string, message: string): never {
    throw new DataError(message, { file: this.file, field: path === '' ? '(root)' : path });
  }

  object(x: unknown, path: string): Record<string, unknown> {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) this.fail(path, `expected object, got ${describe(x)}`);
    return x as Record<string, unknown>;
  }

  array(x: unknown, path: string): unknown[] {
    if (!Array.isArray(x)) this.fail(path, `expected array, got ${describe(x)}`);
    return x;
  }

  string(x: unknown, path: string): void {
    if (typeof x !== 'string') this.fail(path, `expected string, got ${describe(x)}`);
  }

  stringOrNull(x: unknown, path: string): void {
    if (x !== null && typeof x !== 'string') this.fail(path, `expected string or null, got ${describe(x)}`);
  }

  number(x: unknown, path: string): void {
    if (typeof x !== 'number' || !Number.isFinite(x)) this.fail(path, `expected number, got ${describe(x)}`);
  }

  numberOrNull(x: unknown, path: string): void {
    if (x !== null) this.number(x, path);
  }

  literal(x: unknown, path: string, value: number): void {
    if (x !== value) this.fail(path, `expected ${value}, got ${describe(x)}`);
  }

  oneOf(x: unknown, path: string, allowed: readonly string[], alsoAllowed = ''): void {
    if (typeof x !== 'string' || !allowed.includes(x)) {
      this.fail(path, `expected one of ${allowed.join(', ')}${alsoAllowed}, got ${describe(x)}`);
    }
  }
}

function describe(x: unknown): string {
  if (x === undefined) return 'nothing (missing)';
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  if (typeof x === 'string') return `string ${JSON.stringify(x.length > 40 ? x.slice(0, 40) + '…' : x)}`;
  if (typeof x === 'number') return `number ${x}`;
  return typeof x;
}
