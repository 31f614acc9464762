import { createContext, useContext, useEffect, type ReactNode } from 'react';
import type { ApiError } from '../api.ts';
import { contractApi } from '../api.ts';
import { syncStatusSchema } from '@tangguh/protocol';
import type { SyncStatus } from '../api-types.ts';
import { formatNumber, formatRelative } from '../format.ts';
import { usePolling } from '../hooks.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { useSession } from './Session.tsx';

export type SyncState = 'online' | 'offline' | 'unknown' | 'office-down';

interface SyncValue {
  status: SyncStatus | undefined;
  error: ApiError | undefined;
  state: SyncState;
}

const SyncContext = createContext<SyncValue | null>(null);
const POLL_MS = 2000;

function syncState(status: SyncStatus | undefined, error: ApiError | undefined): SyncState {
  if (error && (error.unreachable || error.status >= 500)) return 'office-down';
  if (!status) return 'unknown';
  if (status.central.reachable === true) return 'online';
  if (status.central.reachable === false) return 'offline';
  return 'unknown';
}

/** One poll of GET /api/sync/status for the whole office layout (header badge and dashboard panel). */
export function SyncProvider({ children }: { children: ReactNode }) {
  const { expire } = useSession();
  const poll = usePolling((signal) => contractApi.get(syncStatusSchema, '/api/sync/status', signal), [], POLL_MS);
  const expired = poll.error?.status === 401;
  useEffect(() => {
    if (expired) expire();
  }, [expired, expire]);
  const value: SyncValue = { status: poll.data, error: poll.error, state: syncState(poll.data, poll.error) };
  return <SyncContext.Provider value={value}>{children}</SyncContext.Provider>;
}

export function useSync(): SyncValue {
  const value = useContext(SyncContext);
  if (!value) throw new Error('useSync must be used inside <SyncProvider>');
  return value;
}

const BADGE_TEXT: Record<SyncState, MessageKey> = {
  online: 'sync.online',
  offline: 'sync.offline',
  unknown: 'sync.unknown',
  'office-down': 'sync.officeDown',
};

/** The always-visible strip under the header: centre link, send queue and last successful sync. */
export function SyncBar() {
  const { lang, t } = useI18n();
  const { status, state } = useSync();
  // A count from before the office stopped answering may no longer be true.
  const pending = state === 'office-down' ? undefined : status?.outbox.pending;
  const lastSuccess = status?.central.lastSuccessAt ?? null;
  return (
    <div className={`sync-bar sync-bar--${state}`}>
      <p className="sync-badge" data-testid="sync-badge" data-state={state} role="status" aria-live="polite">
        <span className="sync-badge__dot" aria-hidden="true" />
        {t(BADGE_TEXT[state])}
      </p>
      <p className="sync-bar__item" data-testid="outbox-count" data-count={pending ?? ''}>
        {t('sync.pending', { n: pending === undefined ? '—' : formatNumber(pending, lang) })}
      </p>
      <p className="sync-bar__item sync-bar__item--last">
        {t('sync.last', { when: lastSuccess ? formatRelative(lastSuccess, lang) : t('sync.never') })}
      </p>
    </div>
  );
}
