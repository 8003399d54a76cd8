import { useEffect, useState } from 'react';
import type { CrmEvents } from '../../src/events/crm-events.js';

// The server's own event type (a type only: nothing of the server reaches the bundle).
export type CampaignProgress = CrmEvents['campaign.progress'];

type Listener = (p: CampaignProgress) => void;
const listeners = new Set<Listener>();
let socket: WebSocket | null = null;

// One websocket for the whole page; it reconnects after a drop so figures keep moving.
function connect() {
  if (socket) return;
  socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  socket.onmessage = (e) => {
    const { event, data } = JSON.parse(e.data);
    if (event === 'campaign.progress') for (const l of listeners) l(data);
  };
  socket.onclose = () => {
    socket = null;
    if (listeners.size) setTimeout(connect, 2000);
  };
}

/** The latest delivery figures of one campaign as receipts arrive (null until the first event). */
export function useCampaignProgress(campaignId: number | undefined) {
  const [progress, setProgress] = useState<CampaignProgress | null>(null);
  useEffect(() => {
    if (!campaignId) return;
    const listener: Listener = (p) => p.campaignId === campaignId && setProgress(p);
    listeners.add(listener);
    connect();
    return () => void listeners.delete(listener);
  }, [campaignId]);
  return progress;
}
