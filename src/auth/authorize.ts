import { CrmError } from '../crm/errors.js';
import type { Actor } from './actor.js';
import { permissionTable, type Action } from './permissions.js';

export class PermissionDenied extends CrmError {
  readonly kind = 'forbidden';
  constructor(readonly action: Action, readonly role: string) {
    super(`Your role (${role}) does not allow ${action}.`);
  }
  override details() {
    return { action: this.action };
  }
}

export class NotSignedIn extends CrmError {
  readonly kind = 'not_signed_in';
  constructor(message = 'Sign in first, or send an API token as "Authorization: Bearer …".') {
    super(message);
  }
}

export function can(actor: Actor, action: Action): boolean {
  return permissionTable[actor.role]?.has(action) ?? false;
}

/** The one permission check. Every surface (HTTP, web chat, Slack, MCP, CLI, tools) calls this and nothing else. */
export function authorize(actor: Actor | null | undefined, action: Action): asserts actor is Actor {
  if (!actor) throw new NotSignedIn();
  if (!can(actor, action)) throw new PermissionDenied(action, actor.role);
}
