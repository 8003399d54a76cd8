import { defineEntity, p } from '@mikro-orm/core';

const ConversationMessageSchema = defineEntity({
  name: 'ConversationMessage',
  tableName: 'conversation_messages',
  properties: {
    id: p.bigint('number').primary(),
    conversationId: p.uuid(),
    position: p.integer(),
    role: p.enum(['system', 'user', 'assistant', 'tool'] as const),
    parts: p.json<unknown[]>(),
    messageId: p.string().default(''),
    usage: p.json<Record<string, number>>().nullable(),
    metadata: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class ConversationMessage extends ConversationMessageSchema.class {}
ConversationMessageSchema.setClass(ConversationMessage);
