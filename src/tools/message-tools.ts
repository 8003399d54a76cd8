import { testMessageInput } from '../crm/delivery/test-message.service.js';
import { z } from 'zod';
import { defineTool } from './crm-tool.js';

// Message drafts built from the goal and the placeholders the CRM can fill; a person edits the one they like.
const openers = { win_back: 'We miss you', thank_you: 'Thank you', new_arrivals: 'Something new for you', offer: 'A little something for you' } as const;

export const suggestMessages = defineTool({
  name: 'suggest_messages',
  description: 'Three ready-to-use message templates for a goal (win_back, thank_you, new_arrivals, offer), optionally with a discount, using placeholders the CRM fills per customer. SMS drafts are short.',
  input: z.object({
    goal: z.enum(['win_back', 'thank_you', 'new_arrivals', 'offer']),
    channel: z.enum(['email', 'sms']),
    discountPercent: z.number().int().min(1).max(90).optional(),
  }),
  output: z.object({ templates: z.array(z.string()).length(3) }),
  risk: 'read',
  permission: 'campaigns.plan',
  execute: async ({ goal, channel, discountPercent }) => {
    const offer = discountPercent ? ` Enjoy ${discountPercent}% off your next order.` : '';
    const hi = 'Hi {{first_name | "there"}}';
    const templates = channel === 'sms'
      ? [`${hi}, ${openers[goal].toLowerCase()}!${offer}`, `${openers[goal]}, {{first_name | "friend"}}.${offer}`, `${hi}: ${openers[goal].toLowerCase()}.${offer || ' See what is new.'}`]
      : [
        `${hi},\n\n${openers[goal]}. Your last order was on {{last_order_date | "a while ago"}}.${offer}\n\nSee you soon.`,
        `${hi},\n\n${openers[goal]} — you have shopped with us {{order_count}} times.${offer}`,
        `Dear {{name | "customer"}},\n\n${openers[goal]}.${offer} We have kept your favourites ready.`,
      ];
    return { templates };
  },
});

export const sendTestMessage = defineTool({
  name: 'send_test_message',
  description: 'Send one test email or SMS through the configured carrier to an address the person gives (their own), and report what the mail server or Twilio answered. A send: needs a person\'s approval. Refused when the channel only has the simulator.',
  input: testMessageInput,
  output: z.object({ channel: z.string(), to: z.string(), carrier: z.string(), accepted: z.boolean(), answer: z.string().describe('The provider\'s answer, e.g. "250 2.0.0 Ok: queued", or why it was refused') }),
  risk: 'send',
  permission: 'campaigns.send',
  execute: (input, { actor, services }) => services.testMessages.send(actor, input),
});
