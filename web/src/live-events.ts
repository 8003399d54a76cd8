import { useEffect, useRef, useState } from 'react';
import type { CrmEvents } from '../../src/events/crm-events.js';

// The server's own event types (types only: nothing of the server reaches the bundle).
export type CampaignProgress = CrmEvents['campaign.progress'];
type Listener = { [E in keyof CrmEvents]: { event: E; heard: (data: CrmEvents[E]) => void } }[keyof CrmEvents];

const listeners = new Set<Listener>();
let socket: WebSocket | null = null;

// One websocket for the whole page; it reconnects after a drop so figures keep moving.
function connect() {
  if (socket) return;
  socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  socket.onmessage = (e) => {
    const { event, data } = JSON.parse(e.data);
    for (const l of listeners) if (l.event === event) (l.heard as (d: unknown) => void)(data);
  };
  socket.onclose = () => {
    socket = null;
    if (listeners.size) setTimeout(connect, 2000);
  };
}

/** Calls `heard` with each event of this kind the server sends this person, while the component is shown. */
export function useCrmEvent<E extends keyof CrmEvents>(event: E | null, heard: (data: CrmEvents[E]) => void) {
  const latest = useRef(heard);
  latest.current = heard;
  useEffect(() => {
    if (!event) return;
    const listener = { event, heard: (d: CrmEvents[E]) => latest.current(d) } as Listener;
    listeners.add(listener);
    connect();
    return () => void listeners.delete(listener);
  }, [event]);
}

/** The latest delivery figures of one campaign as receipts arrive (null until the first event). */
export function useCampaignProgress(campaignId: number | undefined) {
  const [progress, setProgress] = useState<CampaignProgress | null>(null);
  useCrmEvent(campaignId ? 'campaign.progress' : null, (p) => p.campaignId === campaignId && setProgress(p));
  return progress;
}
