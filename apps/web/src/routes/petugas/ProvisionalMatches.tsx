import { useState } from 'react';
import { z } from 'zod';
import { provisionalMatchSchema, PROVISIONAL_MATCH_STATES, type ProvisionalMatchView } from '@tangguh/protocol';
import { contractApi, toApiError, withQuery, type ApiError } from '../../api.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useSession } from '../../components/Session.tsx';
import { StatusLabel } from '../../components/StatusLabel.tsx';
import { formatDateTime, formatNumber, formatPercent } from '../../format.ts';
import { usePolling } from '../../hooks.ts';
import { useProvisionalText } from './provisional-matches-messages.ts';

const listSchema = z.object({ items: z.array(provisionalMatchSchema), gallerySize: z.number() });
const decisionSchema = z.object({ match: provisionalMatchSchema });
type StateFilter = (typeof PROVISIONAL_MATCH_STATES)[number] | 'all';

/**
 * /petugas/kemiripan: the Sukets held by the office's provisional search, both records side by side with the
 * score; a supervisor releases a case with a reason or keeps it held with a note. Local only: works offline.
 */
export default function ProvisionalMatchesPage() {
  const { lang, q } = useProvisionalText();
  const [state, setState] = useState<StateFilter>('HELD');
  const [saved, setSaved] = useState(false);
  const list = usePolling((signal) => contractApi.get(listSchema, withQuery('/api/kemiripan', { state }), signal), [state], 10_000);

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{q('title')}</h1>
        {list.data && <p className="pill pill--neutral">{q('gallery', { n: formatNumber(list.data.gallerySize, lang) })}</p>}
      </div>
      <p className="muted">{q('intro')}</p>
      <div className="filters">
        <div className="field">
          <label className="field__label" htmlFor="kemiripan-state">
            {q('filter')}
          </label>
          <select id="kemiripan-state" value={state} onChange={(event) => setState(event.target.value as StateFilter)}>
            {[...PROVISIONAL_MATCH_STATES, 'all' as const].map((s) => (
              <option key={s} value={s}>
                {q(`state.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {list.error && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {!list.data && !list.error && <p className="muted">{q('loading')}</p>}
      {list.data && list.data.items.length === 0 && <p className="empty">{q('empty')}</p>}
      {/* On the page, not the card: a released case leaves the list of held ones as soon as it reloads. */}
      {saved && (
        <p className="notice notice--success" role="status">
          {q('done')}
        </p>
      )}
      {list.data?.items.map((item) => (
        <MatchCard
          key={item.id}
          item={item}
          onChanged={() => {
            setSaved(true);
            list.reload();
          }}
        />
      ))}
    </div>
  );
}

function Party({ title, party }: { title: string; party: ProvisionalMatchView['record'] }) {
  const { q } = useProvisionalText();
  return (
    <div className="person">
      <h3 className="person__title">{title}</h3>
      {party.hasPhoto ? (
        <img className="person__photo" src={`/api/recordings/${encodeURIComponent(party.recordId)}/photo`} alt={q('photoOf', { name: party.fullName })} width={150} height={188} />
      ) : (
        <p className="notice">{q('elsewhere')}</p>
      )}
      <dl className="facts facts--compact">
        <div>
          <dt>{q('name')}</dt>
          <dd>{party.fullName}</dd>
        </div>
        <div className="facts__id">
          <dt>{q('nik')}</dt>
          <dd className="mono">{party.nik}</dd>
        </div>
        {party.registrationNumber && (
          <div className="facts__id">
            <dt>{q('regno')}</dt>
            <dd className="mono">{party.registrationNumber}</dd>
          </div>
        )}
        {party.status && (
          <div>
            <dt>{q('status')}</dt>
            <dd>
              <StatusLabel status={party.status} />
            </dd>
          </div>
        )}
      </dl>
    </div>
  );
}

function MatchCard({ item, onChanged }: { item: ProvisionalMatchView; onChanged: () => void }) {
  const { lang, q } = useProvisionalText();
  const { user } = useSession();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const reasonId = `kemiripan-${item.id}-reason`;
  const titleId = `kemiripan-${item.id}-title`;

  async function decide(what: 'lepas' | 'tahan') {
    setBusy(true);
    setError(undefined);
    try {
      await contractApi.post(decisionSchema, `/api/kemiripan/${encodeURIComponent(item.id)}/${what}`, { reason: reason.trim() });
      setReason('');
      onChanged();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="card case" aria-labelledby={titleId} data-testid="provisional-match" data-state={item.state}>
      <header className="case__head">
        <h2 id={titleId}>{q('case', { regno: item.record.registrationNumber ?? item.record.recordId })}</h2>
        <p className="muted small">
          {q(`state.${item.state}`)} · {q('foundAt', { when: formatDateTime(item.foundAt, lang) })}
        </p>
      </header>
      <div className="score">
        <p className="score__label">
          {q('score')}: <strong>{formatPercent(item.score, lang)}</strong>
        </p>
        <span className="meter meter--score" aria-hidden="true">
          <span className="meter__fill" style={{ width: `${Math.round(item.score * 100)}%` }} />
        </span>
      </div>
      <div className="case__people">
        <Party title={q('probe')} party={item.record} />
        <Party title={q('candidate')} party={item.candidate} />
      </div>
      {item.state === 'RELEASED' && item.decidedBy && <p className="notice">{q('released', { who: item.decidedBy, when: formatDateTime(item.decidedAt, lang), reason: item.reason ?? '' })}</p>}
      {item.reviewedBy && <p className="muted">{q('reviewed', { who: item.reviewedBy, note: item.reviewNote ?? '' })}</p>}
      {(item.state === 'CENTRE_CLEARED' || item.state === 'CENTRE_DUPLICATE') && <p className="notice">{q('centre', { when: formatDateTime(item.decidedAt, lang) })}</p>}
      {item.state === 'HELD' &&
        (user.role === 'supervisor' ? (
          <>
            <div className="field case__note">
              <label className="field__label" htmlFor={reasonId}>
                {q('reason')}
              </label>
              <textarea id={reasonId} rows={2} maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} />
            </div>
            {error && <ErrorNotice error={error} />}
            <div className="actions">
              <button type="button" className="button" disabled={busy || reason.trim().length < 10} onClick={() => void decide('lepas')}>
                {busy ? q('working') : q('release')}
              </button>
              <button type="button" className="button button--secondary" disabled={busy || reason.trim().length < 10} onClick={() => void decide('tahan')}>
                {q('keep')}
              </button>
            </div>
          </>
        ) : (
          <p className="muted">{q('supervisorOnly')}</p>
        ))}
    </article>
  );
}
