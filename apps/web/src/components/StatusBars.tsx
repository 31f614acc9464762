import { formatNumber } from '../format.ts';
import { useI18n } from '../i18n/index.tsx';
import { orderedStatuses, statusText, statusTone } from './StatusLabel.tsx';

interface Props {
  byStatus: Record<string, number>;
  /** Hide statuses with a zero count (the centre's pipeline header). */
  hideEmpty?: boolean;
}

/** A horizontal bar chart drawn with CSS: one row per status, in lifecycle order. */
export function StatusBars({ byStatus, hideEmpty = false }: Props) {
  const { lang, t } = useI18n();
  const rows = orderedStatuses(Object.keys(byStatus))
    .map((status) => ({ status, count: byStatus[status] ?? 0 }))
    .filter((row) => !hideEmpty || row.count > 0);
  const max = Math.max(1, ...rows.map((row) => row.count));
  return (
    <ul className="bars">
      {rows.map(({ status, count }) => (
        <li key={status} className={`bars__row bars__row--${statusTone(status)}${count === 0 ? ' bars__row--zero' : ''}`}>
          <span className="bars__label">
            {statusText(t, status)} <code className="status__code">{status}</code>
          </span>
          <span className="bars__track" aria-hidden="true">
            <span className="bars__fill" style={{ width: `${(count / max) * 100}%` }} />
          </span>
          <span className="bars__count">{formatNumber(count, lang)}</span>
        </li>
      ))}
    </ul>
  );
}
