import { Migration20261120000000_initial } from '../../migrations/Migration20261120000000_initial.js';
import { Migration20261121000000_imports } from '../../migrations/Migration20261121000000_imports.js';
import { Migration20261122000000_campaigns } from '../../migrations/Migration20261122000000_campaigns.js';
import { Migration20261123000000_conversations } from '../../migrations/Migration20261123000000_conversations.js';
import { Migration20261124000000_slack } from '../../migrations/Migration20261124000000_slack.js';
import { Migration20261203000000_hardening } from '../../migrations/Migration20261203000000_hardening.js';
import { Migration20261204000000_delivery_channels } from '../../migrations/Migration20261204000000_delivery_channels.js';
import { Migration20261205000000_campaign_outcomes } from '../../migrations/Migration20261205000000_campaign_outcomes.js';
import { Migration20261206000000_engagement } from '../../migrations/Migration20261206000000_engagement.js';
import { Migration20261207000000_ab_tests } from '../../migrations/Migration20261207000000_ab_tests.js';
import { Migration20261208000000_scheduled_campaigns } from '../../migrations/Migration20261208000000_scheduled_campaigns.js';
import { Migration20261209000000_attributions } from '../../migrations/Migration20261209000000_attributions.js';
import { Migration20261210000000_automations } from '../../migrations/Migration20261210000000_automations.js';
import { Migration20261211000000_journeys } from '../../migrations/Migration20261211000000_journeys.js';
import { Migration20261212000000_journey_notices } from '../../migrations/Migration20261212000000_journey_notices.js';
import { Migration20261213000000_token_scopes } from '../../migrations/Migration20261213000000_token_scopes.js';
import { Migration20261214000000_sign_in_throttles } from '../../migrations/Migration20261214000000_sign_in_throttles.js';
import { Migration20261215000000_tool_calls } from '../../migrations/Migration20261215000000_tool_calls.js';
import { Migration20261216000000_oauth } from '../../migrations/Migration20261216000000_oauth.js';
import { Migration20261217000000_stored_uploads } from '../../migrations/Migration20261217000000_stored_uploads.js';
import { Migration20261218000000_pending_sign_ins } from '../../migrations/Migration20261218000000_pending_sign_ins.js';
import { Migration20261219000000_slack_stats_messages } from '../../migrations/Migration20261219000000_slack_stats_messages.js';

// Every migration, oldest first. A migration is never edited after it lands: a change to the schema is a new entry here.
export const migrations = [
  { name: 'Migration20261120000000_initial', class: Migration20261120000000_initial },
  { name: 'Migration20261121000000_imports', class: Migration20261121000000_imports },
  { name: 'Migration20261122000000_campaigns', class: Migration20261122000000_campaigns },
  { name: 'Migration20261123000000_conversations', class: Migration20261123000000_conversations },
  { name: 'Migration20261124000000_slack', class: Migration20261124000000_slack },
  { name: 'Migration20261203000000_hardening', class: Migration20261203000000_hardening },
  { name: 'Migration20261204000000_delivery_channels', class: Migration20261204000000_delivery_channels },
  { name: 'Migration20261205000000_campaign_outcomes', class: Migration20261205000000_campaign_outcomes },
  { name: 'Migration20261206000000_engagement', class: Migration20261206000000_engagement },
  { name: 'Migration20261207000000_ab_tests', class: Migration20261207000000_ab_tests },
  { name: 'Migration20261208000000_scheduled_campaigns', class: Migration20261208000000_scheduled_campaigns },
  { name: 'Migration20261209000000_attributions', class: Migration20261209000000_attributions },
  { name: 'Migration20261210000000_automations', class: Migration20261210000000_automations },
  { name: 'Migration20261211000000_journeys', class: Migration20261211000000_journeys },
  { name: 'Migration20261212000000_journey_notices', class: Migration20261212000000_journey_notices },
  { name: 'Migration20261213000000_token_scopes', class: Migration20261213000000_token_scopes },
  { name: 'Migration20261214000000_sign_in_throttles', class: Migration20261214000000_sign_in_throttles },
  { name: 'Migration20261215000000_tool_calls', class: Migration20261215000000_tool_calls },
  { name: 'Migration20261216000000_oauth', class: Migration20261216000000_oauth },
  { name: 'Migration20261217000000_stored_uploads', class: Migration20261217000000_stored_uploads },
  { name: 'Migration20261218000000_pending_sign_ins', class: Migration20261218000000_pending_sign_ins },
  { name: 'Migration20261219000000_slack_stats_messages', class: Migration20261219000000_slack_stats_messages },
];
