import type { webApi } from '@slack/bolt';
import type { Actor } from '../../auth/actor.js';
import type { UsersService } from '../../auth/users.service.js';
import { logger } from '../../logging/logger.js';

/**
 * The CRM user a Slack user acts as: the one an admin linked, or else the one whose email equals the Slack
 * profile's email when Slack says that email is confirmed (the link is then remembered). Nobody otherwise.
 */
export async function slackActor(users: UsersService, client: webApi.WebClient, slackUserId: string): Promise<Actor | null> {
  const linked = await users.findBySlackId(slackUserId);
  if (linked) return users.actorFor(linked, 'slack');
  const info = await client.users.info({ user: slackUserId }).catch((error: Error) => {
    logger.warn('slack users.info failed', { slackUserId, reason: error.message });
    return null;
  });
  const person = info?.user;
  const email = person?.profile?.email;
  if (!person || !email || !person.is_email_confirmed || person.is_bot || person.deleted) return null;
  const actor = await users.actorFor(await users.findByEmail(email), 'slack');
  if (actor?.userId) await users.linkSlack(actor, actor.userId, slackUserId);
  return actor;
}

export const howToGetAccess = (slackUserId: string) =>
  `I don't know you in the CRM yet, so I can't answer. Ask a CRM admin to create a CRM user with the email of your Slack profile, or to link your Slack account: \`npm run crm -- user link-slack --email you@example.com --slack ${slackUserId}\`.`;
