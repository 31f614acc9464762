import { useEffect, useState } from 'react';
import { adjudicationListSchema, pipelineSummarySchema, type AdjudicationCase, type AdjudicationDecisionResponse } from '@tangguh/protocol';
import { contractApi } from '../../api.ts';
import { CaseCard } from '../../components/CaseCard.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useSession } from '../../components/Session.tsx';
import { StatusBars } from '../../components/StatusBars.tsx';
import { statusText } from '../../components/StatusLabel.tsx';
import { formatNumber } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';

const REFRESH_MS = 3000;

export default function Adjudications() {
  const { lang, t } = useI18n();
  const { expire } = useSession();
  // Parsed with the centre's own response schemas, so a renamed field fails loudly instead of showing "—".
  const pipeline = usePolling((signal) => contractApi.get(pipelineSummarySchema, '/api/pipeline/summary', signal), [], REFRESH_MS);
  const cases = usePolling((signal) => contractApi.get(adjudicationListSchema, '/api/adjudications', signal), [], REFRESH_MS);
  const [decided, setDecided] = useState<{ ids: Set<string>; last?: string }>({ ids: new Set() });

  useEffect(() => {
    if (cases.error?.status === 401 || pipeline.error?.status === 401) expire();
  }, [cases.error, pipeline.error, expire]);

  function onDecided(item: AdjudicationCase, result: AdjudicationDecisionResponse) {
    const decision = t(result.decision === 'SAME_PERSON' ? 'pusat.same' : 'pusat.different');
    const status = `${statusText(t, result.resultingStatus)} (${result.resultingStatus})`;
    setDecided((current) => ({
      ids: new Set([...current.ids, item.caseId]),
      last: t('pusat.decided', { regno: item.registrationNumber, decision, status }),
    }));
    pipeline.reload();
  }

  const open = (cases.data?.items ?? []).filter((item) => !decided.ids.has(item.caseId));
  const byStatus = pipeline.data?.byStatus;

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('pusat.title')}</h1>
        {cases.data && <p className="pill pill--neutral">{t('pusat.count', { n: formatNumber(open.length, lang) })}</p>}
      </div>
      <p className="muted">{t('pusat.intro')}</p>

      <section className="card" aria-labelledby="pipeline-title">
        <h2 id="pipeline-title">{t('pusat.pipeline')}</h2>
        {pipeline.error && !pipeline.data && <ErrorNotice error={pipeline.error} onRetry={pipeline.reload} />}
        {pipeline.data && (
          <>
            <p>
              {t('pusat.gallery')}: <strong data-testid="gallery-size">{formatNumber(pipeline.data.gallerySize, lang)}</strong>
            </p>
            {byStatus && <StatusBars byStatus={byStatus} hideEmpty />}
          </>
        )}
      </section>

      {decided.last && (
        <p className="notice notice--success" role="status">
          {decided.last}
        </p>
      )}
      {cases.error && <ErrorNotice error={cases.error} onRetry={cases.reload} />}
      {cases.data && open.length === 0 && <p className="empty">{t('pusat.empty')}</p>}
      {!cases.data && !cases.error && <p className="muted">{t('app.loading')}</p>}
      {open.map((item) => (
        <CaseCard key={item.caseId} item={item} onDecided={onDecided} />
      ))}
    </div>
  );
}
