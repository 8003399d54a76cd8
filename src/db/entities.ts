import { Conversation } from '../agent/conversation.entity.js';
import { ConversationMessage } from '../agent/conversation-message.entity.js';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { ApiToken } from '../auth/api-token.entity.js';
import { Session } from '../auth/session.entity.js';
import { User } from '../auth/user.entity.js';
import { Campaign } from '../crm/campaigns/campaign.entity.js';
import { CommunicationLog } from '../crm/campaigns/communication-log.entity.js';
import { Customer } from '../crm/customers/customer.entity.js';
import { Order } from '../crm/orders/order.entity.js';
import { OrderLine } from '../crm/orders/order-line.entity.js';
import { Segment } from '../crm/segments/segment.entity.js';
import { SegmentVersion } from '../crm/segments/segment-version.entity.js';

export const entities = [
  User, Session, ApiToken, AuditEvent,
  Customer, Order, OrderLine, Segment, SegmentVersion, Campaign, CommunicationLog,
  Conversation, ConversationMessage,
];
