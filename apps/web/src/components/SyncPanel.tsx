import { formatDateTime, formatNumber, formatRelative } from '../format.ts';
import { useNow } from '../hooks.ts';
import { useI18n } from '../i18n/index.tsx';
import { useSync } from './Sync.tsx';

/** The dashboard's detailed view of the same sync status the header badge shows. */
export function SyncPanel() {
  const { lang, t } = useI18n();
  const { status, state } = useSync();
  const now = useNow(1000);

  const when = (value: string | null | undefined) =>
    value ? (
      <>
        {formatRelative(value, lang, now)} <span className="muted small">({formatDateTime(value, lang)})</span>
      </>
    ) : (
      t('sync.none')
    );

  const reachable = status?.central.reachable;
  const reachText =
    state === 'office-down'
      ? t('sync.officeDown')
      : reachable === true
        ? t('sync.reachable')
        : reachable === false
          ? t('sync.unreachable')
          : t('sync.notTried');

  return (
    <section className={`card sync-panel sync-panel--${state}`} aria-labelledby="sync-panel-title">
      <h2 id="sync-panel-title">{t('sync.panelTitle')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('sync.central')}</dt>
          <dd>
            <span className={`pill pill--${state}`}>{reachText}</span>
          </dd>
        </div>
        <div>
          <dt>{t('sync.outbox')}</dt>
          <dd>
            <strong className="big-number">{status ? formatNumber(status.outbox.pending, lang) : '—'}</strong>
            {status?.outbox.oldestPendingAt && (
              <span className="muted small"> · {t('sync.oldest', { when: formatRelative(status.outbox.oldestPendingAt, lang, now) })}</span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('sync.lastSuccess')}</dt>
          <dd>{when(status?.central.lastSuccessAt)}</dd>
        </div>
        <div>
          <dt>{t('sync.lastAttempt')}</dt>
          <dd>{when(status?.central.lastAttemptAt)}</dd>
        </div>
        <div>
          <dt>{t('sync.lastPush')}</dt>
          <dd>{when(status?.lastPushAt)}</dd>
        </div>
        <div>
          <dt>{t('sync.lastPull')}</dt>
          <dd>{when(status?.lastPullAt)}</dd>
        </div>
        <div>
          <dt>{t('sync.nextAttempt')}</dt>
          <dd>{when(status?.central.nextAttemptAt)}</dd>
        </div>
        <div className="facts__wide">
          <dt>{t('sync.lastError')}</dt>
          <dd className={status?.central.lastError ? 'text-danger' : undefined}>{status?.central.lastError ?? t('sync.none')}</dd>
        </div>
      </dl>
      {state === 'offline' && <p className="notice notice--warning">{t('sync.offlineNote')}</p>}
    </section>
  );
}
