import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { contractApi } from '../../api.ts';
import { recordDetailResponseSchema } from '@tangguh/protocol';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useSession } from '../../components/Session.tsx';
import { isFinalStatus, StatusLabel } from '../../components/StatusLabel.tsx';
import { Timeline } from '../../components/Timeline.tsx';
import { SuketPanel } from '../../documents/SuketPanel.tsx';
import { formatDate, formatDateTime, formatRelative } from '../../format.ts';
import { useNow, usePolling } from '../../hooks.ts';
import { isMessageKey, useI18n } from '../../i18n/index.tsx';

const POLL_MS = 2000;

export default function RecordPage() {
  const { id = '' } = useParams();
  const { lang, t } = useI18n();
  const { expire } = useSession();
  const [final, setFinal] = useState(false);
  const now = useNow(5000);
  const detail = usePolling(
    (signal) => contractApi.get(recordDetailResponseSchema, `/api/recordings/${encodeURIComponent(id)}`, signal),
    [id],
    final ? undefined : POLL_MS,
  );
  const status = detail.data?.record.status;

  useEffect(() => {
    if (status !== undefined) setFinal(isFinalStatus(status));
  }, [status]);
  useEffect(() => {
    if (detail.error?.status === 401) expire();
  }, [detail.error, expire]);

  if (detail.error?.status === 404) {
    return (
      <div className="stack">
        <ErrorNotice error={detail.error} />
        <p className="empty">{t('record.notFound')}</p>
        <Link to="/petugas">{t('record.back')}</Link>
      </div>
    );
  }
  if (!detail.data) {
    return detail.error ? <ErrorNotice error={detail.error} onRetry={detail.reload} /> : <p className="muted">{t('app.loading')}</p>;
  }

  const { record, timeline } = detail.data;
  const b = record.biodata;
  const coded = (prefix: 'religion' | 'marital' | 'nationality' | 'sex', value: string) => {
    const key = `${prefix}.${value}`;
    return isMessageKey(key) ? t(key) : value;
  };

  // The first two (NIK, KK) are 16-digit identifiers: shown in monospace and never broken.
  const facts: [string, string][] = [
    [t('field.nik'), b.nik],
    [t('field.kkNumber'), b.kkNumber],
    [t('record.birth'), `${b.birthPlace}, ${formatDate(b.birthDate, lang)}`],
    [t('field.sex'), coded('sex', b.sex)],
    [t('field.bloodType'), b.bloodType ?? '-'],
    [t('field.religion'), coded('religion', b.religion)],
    [t('field.maritalStatus'), coded('marital', b.maritalStatus)],
    [t('field.occupation'), b.occupation],
    [t('field.nationality'), coded('nationality', b.nationality)],
    [t('record.address'), b.address.street],
    [t('record.rtrw'), `${b.address.rt}/${b.address.rw}`],
    [t('field.village'), record.villageName ?? b.address.villageCode],
    [t('field.district'), record.districtName ?? ''],
    [t('record.site'), record.siteName],
    [t('record.recordedAt'), formatDateTime(record.recordedAt, lang)],
  ];

  return (
    <div className="stack">
      <p>
        <Link to="/petugas">← {t('record.back')}</Link>
      </p>
      <div className="page-head">
        <h1>
          {record.fullName}
          <span className="page-head__sub mono">{t('record.title', { regno: record.registrationNumber })}</span>
        </h1>
      </div>
      {detail.error && <ErrorNotice error={detail.error} onRetry={detail.reload} />}

      <section className="card current-status" aria-labelledby="current-status-title">
        <h2 id="current-status-title" className="current-status__title">
          {t('record.currentStatus')}
        </h2>
        <div data-testid="record-status" data-status={record.status} aria-live="polite">
          <StatusLabel status={record.status} size="large" />
        </div>
        <p className="muted small">
          {t('record.updated', { when: formatRelative(record.updatedAt, lang, now) })} · {formatDateTime(record.updatedAt, lang)}
          {!final && <> · {t('record.live')}</>}
        </p>
      </section>

      <SuketPanel recordId={record.id} recordStatus={record.status} />

      <div className="grid-2 grid-2--record">
        <section className="card" aria-labelledby="timeline-title">
          <h2 id="timeline-title">{t('record.timeline')}</h2>
          <Timeline entries={timeline} />
        </section>
        <section className="card" aria-labelledby="biodata-title">
          <h2 id="biodata-title">{t('record.biodata')}</h2>
          <div className="biodata">
            <img
              className="biodata__photo"
              src={`/api/recordings/${encodeURIComponent(record.id)}/photo`}
              alt={t('record.photoAlt', { name: record.fullName })}
              width={150}
              height={188}
            />
            <dl className="facts facts--compact">
              {facts.map(([label, value], index) => (
                <div key={label} className={index < 2 ? 'facts__id' : undefined}>
                  <dt>{label}</dt>
                  <dd className={index < 2 ? 'mono' : undefined}>{value === '' ? '—' : value}</dd>
                </div>
              ))}
            </dl>
          </div>
        </section>
      </div>
    </div>
  );
}
