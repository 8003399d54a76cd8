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
export function useScreen(shown: ScreenContext | null) {
  const report = useContext(Report);
  // A rule is sent only when it is one (a half-edited JSON rule may be anything), and the page's words are kept short.
  const screen = shown && { page: shown.page.slice(0, 200), ...(shown.rules && typeof shown.rules === 'object' && !Array.isArray(shown.rules) ? { rules: shown.rules } : {}) };
  const key = JSON.stringify(screen);
  useEffect(() => {
    report(screen);
    return () => report(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, report]);
}
