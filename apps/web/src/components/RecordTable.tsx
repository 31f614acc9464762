import { Link } from 'react-router';
import type { RecordSummary } from '../api-types.ts';
import { formatDateTime } from '../format.ts';
import { useI18n } from '../i18n/index.tsx';
import { StatusLabel } from './StatusLabel.tsx';

/** Recordings as a table on a desktop and as stacked cards on a phone (see .records in styles.css). */
export function RecordTable({ items, caption }: { items: RecordSummary[]; caption: string }) {
  const { lang, t } = useI18n();
  return (
    <div className="table-wrap">
      <table className="records">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dash.col.regno')}</th>
            <th scope="col">{t('dash.col.name')}</th>
            <th scope="col">{t('dash.col.nik')}</th>
            <th scope="col">{t('dash.col.status')}</th>
            <th scope="col">{t('dash.col.recordedAt')}</th>
            <th scope="col">{t('dash.col.site')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((record) => (
            <tr key={record.id}>
              <td data-label={t('dash.col.regno')}>
                <Link to={`/petugas/rekaman/${encodeURIComponent(record.id)}`} className="mono">
                  {record.registrationNumber}
                </Link>
              </td>
              <td data-label={t('dash.col.name')}>{record.fullName}</td>
              <td data-label={t('dash.col.nik')} className="mono">
                {record.nik}
              </td>
              <td data-label={t('dash.col.status')}>
                <StatusLabel status={record.status} />
              </td>
              <td data-label={t('dash.col.recordedAt')}>{formatDateTime(record.recordedAt, lang)}</td>
              <td data-label={t('dash.col.site')}>{record.siteName}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
