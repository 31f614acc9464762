import { useEffect, useState } from 'react';
import { headEnrolmentResponseSchema, tteEnrolmentStatusSchema } from '@tangguh/protocol';
import { ApiError, contractApi, toApiError } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { usePolling } from '../../hooks.ts';
import { dictionaries, useI18n } from '../../i18n/index.tsx';
import { createHeadKey, headKeysSupported, loadHeadKey, type HeadKey } from './head-key.ts';

/** Often while a key waits for the centre's admin; seldom once approved (each look is a signed call to the centre). */
const REFRESH_MS = 5000;
const REFRESH_READY_MS = 60_000;

/** A failure of this browser's own crypto, in the same bilingual shape as the server's errors. */
export const keyFailure = (error: unknown) =>
  error instanceof ApiError ? error : new ApiError(0, 'TTE_KEY_FAILED', { id: dictionaries.id['tteKey.signFailed'], en: dictionaries.en['tteKey.signFailed'] });

/**
 * The head's personal TTE key: made here on "Register TTE key", sent to the centre through the office,
 * and usable once a centre admin approved it. Tells the page the key when (and only when) it may sign.
 */
export function HeadKeyCard({ username, onReady }: { username: string; onReady: (key: HeadKey | undefined) => void }) {
  const { t } = useI18n();
  const supported = headKeysSupported();
  const [settled, setSettled] = useState(false);
  const status = usePolling((signal) => contractApi.get(tteEnrolmentStatusSchema, '/api/tte/enrolment', signal), [], settled ? REFRESH_READY_MS : REFRESH_MS);
  // undefined: still looking in IndexedDB; null: this browser holds none.
  const [local, setLocal] = useState<HeadKey | null>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  useEffect(() => {
    if (!supported) return;
    loadHeadKey(username).then(
      (key) => setLocal(key ?? null),
      () => setLocal(null),
    );
  }, [username, supported]);

  const enrolment = status.data?.enrolment ?? null;
  const mine = local && enrolment && enrolment.fingerprint === local.fingerprint ? enrolment : null;
  const ready = mine?.status === 'APPROVED' ? local : undefined;
  useEffect(() => {
    onReady(ready ?? undefined);
    setSettled(Boolean(ready));
  }, [ready, onReady]);

  async function enrol() {
    setBusy(true);
    setError(undefined);
    try {
      const key = await createHeadKey(username).catch((caught: unknown) => {
        throw keyFailure(caught);
      });
      setLocal(key);
      await contractApi.post(headEnrolmentResponseSchema, '/api/tte/enrolment', { publicKey: key.publicKey });
      status.reload();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  let body;
  if (!supported) body = <p className="notice notice--warning">{t('tteKey.unsupported')}</p>;
  else if (status.error && !status.data) body = <ErrorNotice error={status.error} onRetry={status.reload} />;
  else if (!status.data || local === undefined) body = <p className="muted">{t('tteKey.loading')}</p>;
  else if (!status.data.isHead) body = <p className="notice notice--warning">{t('tteKey.notHead')}</p>;
  else if (mine && (mine.status === 'PENDING' || mine.status === 'APPROVED')) {
    body = (
      <>
        <p className={mine.status === 'APPROVED' ? 'notice notice--success' : 'notice notice--info'} role="status" data-testid="tte-key-state" data-state={mine.status}>
          {t(mine.status === 'APPROVED' ? 'tteKey.ready' : 'tteKey.pending')}
        </p>
        <p>
          {t('tteKey.fingerprint')}: <code data-testid="tte-key-fingerprint">{mine.fingerprint}</code>
        </p>
      </>
    );
  } else {
    body = (
      <>
        <p data-testid="tte-key-state" data-state="NONE">
          {t(enrolment?.status === 'REJECTED' && mine ? 'tteKey.rejected' : 'tteKey.none')}
        </p>
        <div className="actions">
          <button type="button" className="button button--primary" onClick={() => void enrol()} disabled={busy}>
            {busy ? t('tteKey.enrolling') : t('tteKey.enrol')}
          </button>
        </div>
      </>
    );
  }

  return (
    <section className="card stack" aria-labelledby="tte-key-title">
      <h2 id="tte-key-title">{t('tteKey.title')}</h2>
      <p className="muted">{t('tteKey.intro')}</p>
      {error && <ErrorNotice error={error} />}
      {body}
    </section>
  );
}
