import { useCallback, useEffect, useRef, useState } from 'react';
import { loadState, openLists, REFRESH_EVERY_MS, refreshLists, type OpenedLists, type RefreshOutcome, type VerifierState } from '../../verifier/lists.ts';

export interface TrustLists {
  state: VerifierState;
  /** The opened lists to verify with; null until there is a valid stored pair. */
  lists: OpenedLists | null;
  /** Still reading the stored lists from this device. */
  loading: boolean;
  refreshing: boolean;
  /** The last refresh's outcome; undefined before the first one ends. */
  outcome?: RefreshOutcome;
  /** The browser says it is offline, or the office did not answer the last refresh. */
  offline: boolean;
  refresh: () => void;
  /** Refreshes now (or joins the refresh under way) and gives the lists it leaves, for a check to be run again. */
  refreshNow: () => Promise<OpenedLists | null>;
}

/**
 * The stored lists at once, then fresh ones from the office: on load, every few minutes, and when
 * the browser comes back online. Never overlapping refreshes.
 */
export function useTrustLists(): TrustLists {
  const [state, setState] = useState<VerifierState>({});
  const [lists, setLists] = useState<OpenedLists | null>(null);
  const [loading, setLoading] = useState(true);
  const [refreshing, setRefreshing] = useState(false);
  const [outcome, setOutcome] = useState<RefreshOutcome>();
  const [browserOnline, setBrowserOnline] = useState(() => navigator.onLine);
  const stateRef = useRef<VerifierState>({});
  const listsRef = useRef<OpenedLists | null>(null);
  const running = useRef<Promise<void> | null>(null);
  const mounted = useRef(true);

  const refresh = useCallback((): Promise<void> => {
    if (running.current) return running.current;
    setRefreshing(true);
    running.current = (async () => {
      const result = await refreshLists(stateRef.current);
      if (!mounted.current) return;
      if (result.state !== stateRef.current) {
        stateRef.current = result.state;
        setState(result.state);
        listsRef.current = openLists(result.state);
        setLists(listsRef.current);
      }
      setOutcome(result.outcome);
    })().finally(() => {
      running.current = null;
      if (mounted.current) setRefreshing(false);
    });
    return running.current;
  }, []);

  const refreshNow = useCallback(async () => {
    await refresh();
    return listsRef.current;
  }, [refresh]);

  useEffect(() => {
    mounted.current = true;
    void (async () => {
      const stored = await loadState();
      if (!mounted.current) return;
      stateRef.current = stored;
      setState(stored);
      listsRef.current = openLists(stored);
      setLists(listsRef.current);
      setLoading(false);
      refresh();
    })();
    const timer = setInterval(refresh, REFRESH_EVERY_MS);
    const goOnline = () => {
      setBrowserOnline(true);
      refresh();
    };
    const goOffline = () => setBrowserOnline(false);
    window.addEventListener('online', goOnline);
    window.addEventListener('offline', goOffline);
    return () => {
      mounted.current = false;
      clearInterval(timer);
      window.removeEventListener('online', goOnline);
      window.removeEventListener('offline', goOffline);
    };
  }, [refresh]);

  return { state, lists, loading, refreshing, outcome, offline: !browserOnline || outcome?.kind === 'offline', refresh, refreshNow };
}
