import type { z } from 'zod';
import { findTextProblem } from '../../crm/text.js';

/** A request whose body, query or parameters do not fit; carries each problem with where it is. */
export class BadInput extends Error {
  constructor(readonly problems: { path: string; message: string }[]) {
    super(`The request is not valid: ${problems.map((p) => (p.path ? `${p.path} ${p.message}` : p.message)).join('; ')}.`);
  }
}

export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const text = findTextProblem(value);
  if (text) throw new BadInput([text]);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new BadInput(result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
}
