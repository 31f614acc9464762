import type { ReactNode } from 'react';
import { ResponsiveContainer } from 'recharts';
import type { Lang } from '../../i18n/index.tsx';

/*
 * The frame of the head's charts (recharts; imported only by the pages loaded lazily, so recharts stays
 * out of the main bundle). The chart is drawn for the eye and hidden from screen readers; the same figures
 * follow it as a caption and a table folded under `figuresLabel`.
 */

/** The margin every chart on these pages is drawn with. */
export const CHART_MARGIN = { top: 8, right: 16, bottom: 8, left: 8 } as const;

/** A day (`YYYY-MM-DD`) as a short axis label: "5 Mei" / "5 May". */
export const shortDate = (iso: string, lang: Lang) => new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' }).format(new Date(`${iso}T00:00:00Z`));

export interface ChartFigureProps {
  id: string;
  title: string;
  summary?: string;
  chart: ReactNode;
  table: ReactNode;
  height?: number;
}

export function ChartFigure({ id, title, summary, chart, table, height = 320, figuresLabel }: ChartFigureProps & { figuresLabel: string }) {
  return (
    <figure className="card stack" aria-labelledby={`${id}-title`} data-testid={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      <div className="chart-box" aria-hidden="true" style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          {chart}
        </ResponsiveContainer>
      </div>
      {summary && <figcaption>{summary}</figcaption>}
      <details className="chart-figures">
        <summary>{figuresLabel}</summary>
        <div className="table-wrap">{table}</div>
      </details>
    </figure>
  );
}
