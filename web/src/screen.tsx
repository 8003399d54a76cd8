import { createContext, useContext, useEffect, type ReactNode } from 'react';
import type { ScreenContext } from '../../src/agent/screen.js';

export type { ScreenContext };

// Pages say what they show; the chat panel beside them sends it with each message, so "these customers" and "this
// segment" mean what the person is looking at.
const Report = createContext<(screen: ScreenContext | null) => void>(() => {});

export function ScreenReporter({ onScreen, children }: { onScreen: (screen: ScreenContext | null) => void; children: ReactNode }) {
  return <Report.Provider value={onScreen}>{children}</Report.Provider>;
}

/** Tells the chat panel what this page shows, for as long as it shows it. */
export function useScreen(screen: ScreenContext | null) {
  const report = useContext(Report);
  const key = JSON.stringify(screen);
  useEffect(() => {
    report(screen);
    return () => report(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, report]);
}
