import type { TimelineEntry } from '../api-types.ts';
import { formatDateTime } from '../format.ts';
import { useI18n } from '../i18n/index.tsx';
import { StatusLabel, statusTone } from './StatusLabel.tsx';

/** The record's status history, oldest first, newest (the current status) last. */
export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  const { lang, t } = useI18n();
  const sorted = [...entries].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return (
    <ol className="timeline">
      {sorted.map((entry, index) => (
        <li
          key={`${entry.status}-${entry.at}-${index}`}
          className={`timeline__item timeline__item--${statusTone(entry.status)}${index === sorted.length - 1 ? ' timeline__item--current' : ''}`}
        >
          <span className="timeline__marker" aria-hidden="true" />
          <div className="timeline__body">
            <StatusLabel status={entry.status} />
            <p className="timeline__meta">
              <time dateTime={entry.at}>{formatDateTime(entry.at, lang)}</time>
              <span className={`source source--${entry.source}`}>{t(entry.source === 'central' ? 'record.source.central' : 'record.source.office')}</span>
            </p>
            {entry.note && <p className="timeline__note">{entry.note}</p>}
          </div>
        </li>
      ))}
    </ol>
  );
}
