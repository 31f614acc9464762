import { formatRelative } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { listsAgeMs, STALE_AFTER_MS } from '../../verifier/lists.ts';
import type { TrustLists } from './useTrustLists.ts';

/** How old the lists are, whether they are being refreshed, and anything the clerk must know about them. */
export function ListStatus({ view }: { view: TrustLists }) {
  const { lang, t } = useI18n();
  const { state, lists, loading, refreshing, outcome, offline } = view;
  const age = listsAgeMs(state);
  const stale = age !== null && age > STALE_AFTER_MS;
  const mode = offline ? 'offline' : 'online';

  return (
    <section className="card verifier-lists" aria-labelledby="verifier-lists-title" data-testid="trust-lists" data-mode={mode} data-ready={lists ? 'yes' : 'no'}>
      <div className="section-head">
        <h2 id="verifier-lists-title">{t('verify.lists.title')}</h2>
        <button type="button" className="button button--secondary button--small" onClick={view.refresh} disabled={refreshing}>
          {refreshing ? t('verify.lists.refreshing') : t('verify.lists.refresh')}
        </button>
      </div>
      <p className={`verifier-lists__mode verifier-lists__mode--${mode}`} data-testid="lists-mode">
        <span className="verifier-lists__dot" aria-hidden="true" />
        {offline ? t('verify.lists.offline') : t('verify.lists.online')}
      </p>
      {loading && <p className="muted">{t('verify.lists.loading')}</p>}
      {!loading && !lists && <p className="notice notice--warning">{t('verify.lists.none')}</p>}
      {state.trust && state.revocations && (
        <ul className="verifier-lists__ages" data-testid="lists-age">
          <li>{t('verify.lists.trust', { when: formatRelative(state.trust.fetchedAt, lang) })}</li>
          <li>{t('verify.lists.revocations', { when: formatRelative(state.revocations.fetchedAt, lang) })}</li>
          {state.officeRevocations && <li>{t('verify.lists.officeRevocations', { when: formatRelative(state.officeRevocations.fetchedAt, lang) })}</li>}
        </ul>
      )}
      {stale && (
        <p className="notice notice--warning" role="alert" data-testid="lists-stale">
          {t('verify.lists.stale')}
        </p>
      )}
      {outcome?.kind === 'rootMismatch' && (
        <p className="notice notice--error" role="alert" data-testid="root-mismatch">
          {t('verify.lists.rootMismatch', { when: formatRelative(state.root?.pinnedAt, lang) })}
        </p>
      )}
      {outcome?.kind === 'invalid' && (
        <p className="notice notice--error" role="alert">
          {t('verify.lists.invalid')}
        </p>
      )}
      {outcome?.kind === 'serverError' && (
        <p className="notice notice--warning">{t('verify.lists.serverError', { status: outcome.status })}</p>
      )}
      {state.root && (
        <p className="muted small">{t('verify.lists.root', { kid: state.root.kid, when: formatRelative(state.root.pinnedAt, lang) })}</p>
      )}
    </section>
  );
}
