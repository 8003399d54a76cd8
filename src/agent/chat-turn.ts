import { z } from 'zod';
import { screenContext } from './screen.js';

/** One chat turn as a surface sends it: a new message, or a person's answers to approvals the agent asked for. */
export const chatTurn = z.object({
  conversationId: z.uuid('must be the conversation\'s id (a UUID)'),
  message: z.union([
    z.object({ text: z.string().trim().min(1, 'write a message').max(4000, 'is longer than 4,000 characters') }).strict(),
    z.object({
      approvals: z.array(z.object({ id: z.string().min(1).max(200), approved: z.boolean(), reason: z.string().max(500).optional() }).strict()).min(1).max(20),
    }).strict(),
  ]),
  screen: screenContext.optional().describe('What the person is looking at, sent by a page\'s chat panel'),
}).strict();
export type ChatTurn = z.output<typeof chatTurn>;

/** What a turn records about itself on the agent's message. */
export interface TurnMetadata {
  model: string;
  usage?: { inputTokens?: number; outputTokens?: number; totalTokens?: number };
  steps?: number;
  milliseconds?: number;
  stoppedBy?: 'steps' | 'tokens' | 'time';
}
