import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError, contractApi, toApiError, withQuery } from '../../api.ts';
import { documentResponseSchema, documentsListSchema, policyResponseSchema, signChallengeSchema, signResultSchema, tteStatusResponseSchema } from '@tangguh/protocol';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useSession } from '../../components/Session.tsx';
import { formatNumber } from '../../format.ts';
import { useNow, usePolling } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { TteStatusLine } from '../../documents/parts.tsx';
import { SignatureAuditLog, WetSignaturePolicyCard } from '../../documents/WetSignaturePolicy.tsx';
import type { DocumentView, PolicyResponse, SignResult } from '../../documents/types.ts';
import { DocumentItem } from '../petugas/Documents.tsx';
import '../../documents/documents.css';
import type { HeadKey } from './head-key.ts';
import { HeadKeyCard, keyFailure } from './HeadKeyCard.tsx';

const REFRESH_MS = 3000;
/** Documents per request: small enough that the progress bar moves, large enough to be quick. */
const CHUNK = 50;

/**
 * Signs every waiting document, page by page, reporting progress; stops at the first refusal. Each chunk
 * takes two steps: the office prepares the batch and its challenge, this browser signs the challenge with
 * the head's key, and the office has the centre sign the batch on that signature.
 */
async function signEverything(key: HeadKey, onProgress: (done: number) => void): Promise<{ signed: number; error?: ApiError }> {
  let signed = 0;
  for (;;) {
    const page = await contractApi.get(documentsListSchema, withQuery('/api/documents', { status: 'AWAITING_SIGNATURE', limit: 500 }));
    if (page.items.length === 0) return { signed };
    let signedThisRound = 0;
    for (let start = 0; start < page.items.length; start += CHUNK) {
      const ids = page.items.slice(start, start + CHUNK).map((d) => d.id);
      let result: SignResult;
      try {
        const batch = await contractApi.post(signChallengeSchema, '/api/documents/sign-all/challenge', { ids });
        if (batch.documentIds.length === 0) continue;
        const signature = await key.sign(batch.challenge).catch((caught: unknown) => {
          throw keyFailure(caught);
        });
        result = await contractApi.post(signResultSchema, '/api/documents/sign-all', { documentIds: batch.documentIds, nonce: batch.nonce, issuedAt: batch.issuedAt, signature });
      } catch (caught) {
        return { signed, error: toApiError(caught) };
      }
      signed += result.signed;
      signedThisRound += result.signed;
      onProgress(signed);
      if (result.error) return { signed, error: new ApiError(503, result.error.code, result.error.messages) };
    }
    // Someone else signed them meanwhile, or nothing could be signed: do not loop forever.
    if (signedThisRound === 0) return { signed };
  }
}

function WetSignForm({ document, onDone }: { document: DocumentView; onDone: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  if (!open) {
    return (
      <p>
        <button type="button" className="button button--ghost button--small" onClick={() => setOpen(true)}>
          {t('head.wetSign')}
        </button>
      </p>
    );
  }
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await contractApi.post(documentResponseSchema, `/api/documents/${encodeURIComponent(document.id)}/wet-sign`, { reason: reason.trim() });
      onDone();
    } catch (caught) {
      setError(toApiError(caught));
      setBusy(false);
    }
  }
  const id = `wet-reason-${document.id}`;
  return (
    <form className="stack" onSubmit={submit} noValidate>
      {error && <ErrorNotice error={error} />}
      <label className="field__label" htmlFor={id}>
        {t('head.wetReason')}
      </label>
      <textarea id={id} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      <div className="actions">
        <button type="submit" className="button button--danger button--small" disabled={busy || reason.trim().length < 5}>
          {t('head.wetConfirm')}
        </button>
        <button type="button" className="button button--ghost button--small" onClick={() => setOpen(false)}>
          {t('head.cancel')}
        </button>
      </div>
    </form>
  );
}

/**
 * /pimpinan: what waits for the head's signature, whether the centre's TTE can sign now, one button that
 * signs the whole batch, and the wet-signature policy with its audit log.
 */
export default function SigningPage() {
  const { lang, t } = useI18n();
  const { user, expire } = useSession();
  const now = useNow(15_000);
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  const [outcome, setOutcome] = useState<{ signed: number; error?: ApiError }>();
  const [headKey, setHeadKey] = useState<HeadKey>();
  const onKeyReady = useCallback((key: HeadKey | undefined) => setHeadKey(key), []);
  const status = usePolling((signal) => contractApi.get(tteStatusResponseSchema, '/api/tte/status', signal), [], REFRESH_MS);
  const waiting = usePolling((signal) => contractApi.get(documentsListSchema, withQuery('/api/documents', { status: 'AWAITING_SIGNATURE', limit: 200 }), signal), [], REFRESH_MS);
  const policy = usePolling((signal) => contractApi.get(policyResponseSchema, '/api/policies/wet-signature', signal), [], REFRESH_MS * 5);
  const [policyData, setPolicyData] = useState<PolicyResponse>();
  useEffect(() => {
    if (policy.data) setPolicyData(policy.data);
  }, [policy.data]);
  useEffect(() => {
    if (status.error?.status === 401) expire();
  }, [status.error, expire]);

  const count = status.data?.awaiting ?? waiting.data?.counts.AWAITING_SIGNATURE ?? 0;
  const isHead = user.role === 'head';
  const signing = progress !== undefined;
  const tte = status.data?.tte;

  async function signAll() {
    if (!headKey) return;
    setOutcome(undefined);
    setProgress({ done: 0, total: count });
    const result = await signEverything(headKey, (done) => setProgress({ done, total: Math.max(count, done) }));
    setOutcome(result);
    setProgress(undefined);
    status.reload();
    waiting.reload();
  }

  const refresh = () => {
    waiting.reload();
    status.reload();
    policy.reload();
  };

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('head.title')}</h1>
      </div>
      {!isHead && <p className="notice notice--info">{t('head.onlyHead')}</p>}
      <TteStatusLine tte={tte} now={now} />
      {isHead && <HeadKeyCard username={user.username} onReady={onKeyReady} />}
      {status.error && <ErrorNotice error={status.error} onRetry={status.reload} />}

      <section className="card stack" aria-labelledby="waiting-title">
        <h2 id="waiting-title">{t('head.waitingTitle')}</h2>
        <p className="big-number" data-testid="waiting-count" data-count={count}>
          {t('head.waitingCount', { n: formatNumber(count, lang) })}
        </p>
        {tte?.available === false && count > 0 && <p className="notice notice--warning">{t('head.downHint')}</p>}
        {outcome?.error && <ErrorNotice error={outcome.error}>{outcome.signed > 0 && <p>{t('head.partly', { n: formatNumber(outcome.signed, lang) })}</p>}</ErrorNotice>}
        {outcome && !outcome.error && outcome.signed > 0 && (
          <p className="notice notice--success" role="status">
            {t('head.signed', { n: formatNumber(outcome.signed, lang) })}
          </p>
        )}
        {isHead && (
          <div className="actions">
            <button type="button" className="button button--primary button--large" onClick={() => void signAll()} disabled={signing || count === 0 || !headKey}>
              {signing ? t('head.signing', { done: progress.done, total: progress.total }) : t('head.signAll', { n: formatNumber(count, lang) })}
            </button>
          </div>
        )}
        {signing && (
          <progress className="sign-progress" max={Math.max(1, progress.total)} value={progress.done} aria-label={t('head.progress')}>
            {progress.done}/{progress.total}
          </progress>
        )}
        {waiting.error && <ErrorNotice error={waiting.error} onRetry={waiting.reload} />}
        {waiting.data && waiting.data.items.length === 0 && <p className="empty">{t('head.noneWaiting')}</p>}
        {waiting.data && waiting.data.items.length > 0 && (
          <ul className="doc-list">
            {waiting.data.items.map((document) => (
              <DocumentItem key={document.id} document={document}>
                {isHead && policyData?.policy.enabled && <WetSignForm document={document} onDone={refresh} />}
              </DocumentItem>
            ))}
          </ul>
        )}
      </section>

      <div className="grid-2">
        <WetSignaturePolicyCard data={policyData} role={user.role} onChanged={setPolicyData} />
        <SignatureAuditLog entries={policyData?.audit} />
      </div>
    </div>
  );
}
