import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Actor } from '../../auth/actor.js';
import { can } from '../../auth/authorize.js';
import { projectRoot } from '../../project-root.js';
import { getCampaignStats, listCampaigns } from '../../tools/campaign-tools.js';
import { getSegment, listSegments } from '../../tools/segment-tools.js';
import type { ToolRunner } from '../../tools/tool-runner.js';

const json = (uri: URL, value: unknown): ReadResourceResult => ({
  contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }],
});

const idOf = (value: string | string[] | undefined) => Number(Array.isArray(value) ? value[0] : value);

/**
 * Saved segments and campaigns as resources an assistant can attach to its context, read through the same tools
 * (and so the same permission checks) as everything else, plus the rule language's reference.
 */
export function serveResources(mcp: McpServer, caller: () => Actor, runner: ToolRunner) {
  mcp.registerResource(
    'segment',
    new ResourceTemplate('crm://segments/{id}', {
      list: async () => {
        if (!can(caller(), 'segments.read')) return { resources: [] };
        const { segments } = await runner.run(caller(), listSegments, {});
        return { resources: segments.map((s) => ({ uri: `crm://segments/${s.id}`, name: s.name, description: s.sentence, mimeType: 'application/json' })) };
      },
    }),
    { title: 'Saved segment', description: 'A saved audience: its rule, the rule in words, its size and a sample of customers.', mimeType: 'application/json' },
    async (uri, { id }) => json(uri, await runner.run(caller(), getSegment, { segmentId: idOf(id) })),
  );

  mcp.registerResource(
    'campaign',
    new ResourceTemplate('crm://campaigns/{id}', {
      list: async () => {
        if (!can(caller(), 'campaigns.read')) return { resources: [] };
        const { campaigns } = await runner.run(caller(), listCampaigns, { limit: 20 });
        return { resources: campaigns.map((c) => ({ uri: `crm://campaigns/${c.id}`, name: c.name, description: `${c.status}, ${c.audience} recipients`, mimeType: 'application/json' })) };
      },
    }),
    { title: 'Campaign', description: 'A campaign\'s delivery figures: audience, sent, failed, pending, delivery rate and failure reasons.', mimeType: 'application/json' },
    async (uri, { id }) => json(uri, await runner.run(caller(), getCampaignStats, { campaignId: idOf(id) })),
  );

  mcp.registerResource(
    'segment-rules',
    'crm://docs/segment-rules',
    { title: 'Segment rule language', description: 'Fields, operators and examples of the JSON rules that define audiences.', mimeType: 'text/markdown' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: await readFile(join(projectRoot(), 'docs', 'rules.md'), 'utf8') }] }),
  );
}
