import type { z } from 'zod';

/** A path into a plan: object keys, and 0 for the first element of an array. */
export type FieldPath = (string | number)[];

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
}
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/**
 * Every string field of a zod schema (issue 12): walks objects, optional/default wrappers, arrays (their first
 * element), unions and pipes, so a field added to the plan later is found without touching the suite.
 * Enums of strings count as string fields too: a payload must be refused there like anywhere else.
 */
export function stringFields(schema: z.ZodType, path: FieldPath = []): FieldPath[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
    case 'enum':
      return [path];
    case 'object':
      return Object.entries(def.shape ?? {}).flatMap(([k, s]) => stringFields(s, [...path, k]));
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
    case 'catch':
      return stringFields(def.innerType!, path);
    case 'array':
      return stringFields(def.element!, [...path, 0]);
    case 'pipe':
      return stringFields(def.in!, path);
    case 'union': {
      const found = (def.options ?? []).flatMap((o) => stringFields(o, path));
      return found.some((p) => p.length === path.length) ? [path] : found;
    }
    default:
      return []; // number, boolean, literal: no string to inject into
  }
}

export function getIn(value: unknown, path: FieldPath): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], value);
}

export function setIn<T>(value: T, path: FieldPath, v: unknown): T {
  const copy = structuredClone(value);
  let node = copy as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = v;
  return copy;
}

export const fieldName = (path: FieldPath) =>
  path
    .map((k) => (typeof k === 'number' ? `[${k}]` : k))
    .join('.')
    .replace(/\.\[/g, '[');
