import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, isAbort, toApiError } from './api.ts';

export interface Loadable<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Load again now (also used by "Coba lagi" buttons). */
  reload: () => void;
}

/**
 * Loads `load` when `deps` change and, if `intervalMs` is set, again that long after each answer
 * (never overlapping requests). Keeps the last good data while a later request fails.
 */
export function usePolling<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
  intervalMs?: number,
): Loadable<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const intervalRef = useRef(intervalMs);
  intervalRef.current = intervalMs;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const run = async () => {
      try {
        const result = await loadRef.current(controller.signal);
        if (stopped) return;
        setData(result);
        setError(undefined);
      } catch (caught) {
        if (stopped || isAbort(caught)) return;
        setError(toApiError(caught));
      } finally {
        if (!stopped) {
          setLoading(false);
          const every = intervalRef.current;
          if (every !== undefined && every > 0) timer = setTimeout(() => void run(), every);
        }
      }
    };
    setLoading(true);
    void run();
    return () => {
      stopped = true;
      controller.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
    // The caller names the dependencies, as with useEffect.
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}

/** Re-renders every `ms` so relative times ("5 detik yang lalu") stay true. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** A value that only settles after `ms` without changes (search boxes). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
