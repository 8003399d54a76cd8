import { useEffect, useState } from 'react';

export interface CampaignProgress {
  campaignId: number; status: string; audience: number; queued: number; submitted: number; sent: number; failed: number;
  unconfirmed: number; pending: number; deliveryRate: number | null;
}

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
