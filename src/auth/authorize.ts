import { CrmError } from '../crm/errors.js';
import type { Actor } from './actor.js';
import { permissionTable, scopeOf, type Action } from './permissions.js';

export class PermissionDenied extends CrmError {
  readonly kind = 'forbidden';
  constructor(readonly action: Action, readonly role: string) {
    super(`Your role (${role}) does not allow ${action}.`);
  }
  override details() {
    return { action: this.action };
  }
}

/** A token asked for something its scopes (or its list of tools) leave out; its person's role may well allow it. */
export class OutsideGrant extends CrmError {
  readonly kind = 'forbidden';
  override get code() {
    return 'insufficient_scope';
  }
  constructor(readonly needed: string, message: string) {
    super(message);
  }
  override details() {
    return { needed: this.needed };
  }
}

/**
 * A send asked for by a token that may not send on its own. Nothing went out: the plan waits for a person, who
 * approves it signed in on the web page or in Slack.
 */
export class AwaitingPerson extends CrmError {
  readonly kind = 'awaiting_person';
  constructor(readonly approvalId: string | null) {
    super(approvalId
      ? `Nothing was sent: a token without the send scope cannot send on its own. The plan waits for a person: open /approvals/${approvalId} in the CRM's web app, or type \`/crm approve ${approvalId}\` in Slack.`
      : 'Nothing was sent: a token without the send scope cannot send on its own. A person must do this signed in, in the CRM\'s web app or in Slack.');
  }
  override details() {
    return this.approvalId ? { approvalId: this.approvalId, approveAt: `/approvals/${this.approvalId}` } : {};
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

/**
 * The one permission check. Every surface (HTTP, web chat, Slack, MCP, CLI, tools) calls this and nothing else.
 * The role decides first; a token is then held to its scopes. `approvalId` names the plan a refused send leaves
 * waiting for a person.
 */
export function authorize(actor: Actor | null | undefined, action: Action, approvalId?: string): asserts actor is Actor {
  if (!actor) throw new NotSignedIn();
  if (!can(actor, action)) throw new PermissionDenied(action, actor.role);
  const scope = scopeOf(action);
  if (!actor.grant || actor.grant.scopes.includes(scope)) return;
  if (scope === 'send') throw new AwaitingPerson(approvalId ?? null);
  throw new OutsideGrant(scope, `This token's scopes (${actor.grant.scopes.join(', ') || 'none'}) do not include ${scope}, which ${action} needs.`);
}
