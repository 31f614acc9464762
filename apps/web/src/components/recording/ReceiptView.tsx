import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import type { RecordingCreated } from '../../api-types.ts';
import { formatDateTime } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';

/** Tanda terima perekaman. Only this block is printed (see @media print in styles.css). */
export function ReceiptView({ created }: { created: RecordingCreated }) {
  const { lang, t } = useI18n();
  const { record, receipt } = created;
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  return (
    <section className="card receipt" aria-labelledby="receipt-title">
      <h1 id="receipt-title" ref={heading} tabIndex={-1}>
        {t('receipt.title')}
      </h1>
      <p className="receipt__regno-label">{t('receipt.regno')}</p>
      <p className="receipt__regno mono" data-testid="receipt-regno">
        {receipt.registrationNumber}
      </p>
      <dl className="facts facts--receipt">
        <div>
          <dt>{t('receipt.name')}</dt>
          <dd>{record.fullName}</dd>
        </div>
        <div>
          <dt>{t('receipt.nik')}</dt>
          <dd className="mono">{record.nik}</dd>
        </div>
        <div>
          <dt>{t('receipt.recordedAt')}</dt>
          <dd>{formatDateTime(receipt.recordedAt, lang)}</dd>
        </div>
        <div>
          <dt>{t('receipt.site')}</dt>
          <dd>{receipt.siteName}</dd>
        </div>
        <div>
          <dt>{t('receipt.office')}</dt>
          <dd>{receipt.officeName}</dd>
        </div>
      </dl>
      <p className="notice notice--success">{t('receipt.saved')}</p>
      <p className="muted small">{t('receipt.keep')}</p>
      <div className="actions no-print">
        <button type="button" className="button button--primary" onClick={() => window.print()}>
          {t('receipt.print')}
        </button>
        <Link className="button button--secondary" to={`/petugas/rekaman/${encodeURIComponent(record.id)}`}>
          {t('receipt.viewStatus')}
        </Link>
        <Link className="button button--secondary" to="/petugas/rekam">
          {t('receipt.next')}
        </Link>
      </div>
    </section>
  );
}
