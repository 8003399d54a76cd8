import type { z } from 'zod';
import { findTextProblem } from './text.js';

/**
 * What kind of failure an error is, whatever the surface. Each surface turns a kind into its own answer (an HTTP
 * status, an MCP tool error, a Slack message); nothing in the CRM knows those answers.
 */
export type ErrorKind = 'bad_input' | 'not_signed_in' | 'forbidden' | 'not_found' | 'conflict' | 'refused' | 'too_large' | 'unavailable' | 'cancelled' | 'awaiting_person' | 'too_many';

/** A failure the CRM explains in its own words, with a stable code clients can rely on. */
export abstract class CrmError extends Error {
  abstract readonly kind: ErrorKind;
  /** The code in answers ("bad_rule", "csrf"…): the kind itself unless a finer one helps the client. */
  get code(): string {
    return this.kind;
  }
  /** Fields an answer carries beside the sentence (the problems and where they are, the action a role lacks…). */
  details(): Record<string, unknown> {
    return {};
  }
}

export interface Problem { path: string; message: string }

/** Input whose shape or values do not fit; each problem says where it is. */
export class BadInput extends CrmError {
  readonly kind = 'bad_input';
  constructor(readonly problems: Problem[], message = `The request is not valid: ${problems.map((p) => (p.path ? `${p.path} ${p.message}` : p.message)).join('; ')}.`) {
    super(message);
  }
  override details() {
    return { problems: this.problems };
  }
}

/** Something named by id that does not exist (or that this caller may not see). */
export class NotFound extends CrmError {
  readonly kind = 'not_found';
}

/** Well formed, but not possible in the current state (a name taken, an approval used). */
export class Conflict extends CrmError {
  readonly kind = 'conflict';
}

/** Refused on its merits (an empty audience, an expired approval, a rule too costly to count). */
export class Refused extends CrmError {
  readonly kind = 'refused';
}

/** More than the CRM takes in one go. */
export class TooLarge extends CrmError {
  readonly kind = 'too_large';
}

/** The CRM cannot do it right now, through no fault of the caller (a part of it is missing or down). */
export class Unavailable extends CrmError {
  readonly kind = 'unavailable';
}

/** The caller went away before the answer was ready; nobody reads this one. */
export class Cancelled extends CrmError {
  readonly kind = 'cancelled';
}

/** The value checked by its zod schema, or a BadInput naming every problem; text anywhere in it obeys the text rule. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const text = findTextProblem(value);
  if (text) throw new BadInput([text]);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new BadInput(result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
}
