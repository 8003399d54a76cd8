/** Something named by id that does not exist (or that this caller may not see). Answered 404. */
export class NotFound extends Error {}

/** A request that is well formed but cannot be done in the current state (name taken, approval used). Answered 409. */
export class Conflict extends Error {}

/** A request the CRM refuses on its merits (an empty audience, an expired approval). Answered 422. */
export class Refused extends Error {}
