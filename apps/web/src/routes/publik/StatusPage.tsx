import { useEffect, useState } from 'react';
import type { IncidentView, PublicStatus } from '@tangguh/protocol';
import { AppHeader } from '../../components/AppHeader.tsx';
import { formatDateTime, formatNumber } from '../../format.ts';
import { useI18n, type Lang } from '../../i18n/index.tsx';
import { statusText, type StatusMessageKey } from './status-messages.ts';
import { POLL_MS, useLiveStatus } from './useLiveStatus.ts';
import './status-chip.css';
import './status.css';

const SITE_KEY = 'tangguh.status.site';

function clock(iso: string | null, timeZone: string, lang: Lang): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { timeZone, hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(new Date(iso));
}

function rememberedSite(): string | null {
  try {
    return localStorage.getItem(SITE_KEY);
  } catch {
    return null;
  }
}

/**
 * `/status`: every service at every service point, for anyone, no login, made for a phone: the state in
 * colour and in words, what it means and what to do, the head's announcement, incidents with their
 * timeline, planned maintenance and 90 days of history. Live over the event stream.
 */
export default function StatusPage() {
  const { lang } = useI18n();
  const s = (key: StatusMessageKey, params?: Record<string, string | number>) => statusText(lang, key, params);
  const { status, live, failed } = useLiveStatus();
  const [siteId, setSiteId] = useState<string | null>(rememberedSite);
  useEffect(() => {
    document.title = `${s('status.title')} — Tangguh`;
  });

  const site = status?.sites.find((x) => x.siteId === siteId) ?? status?.sites[0];
  const name = (service: string) => status?.serviceNames.find((n) => n.service === service)?.name[lang] ?? service;
  const tz = status?.office.timeZone ?? 'Asia/Jakarta';
  const choose = (id: string) => {
    setSiteId(id);
    try {
      localStorage.setItem(SITE_KEY, id);
    } catch {
      // Not remembered; the choice still applies now.
    }
  };
  const troubled = status?.sites.filter((x) => x.siteId !== site?.siteId && x.services.some((v) => v.state !== 'normal')) ?? [];
  const announcements = status?.announcements.filter((a) => a.siteId === null || a.siteId === site?.siteId) ?? [];

  return (
    <>
      <AppHeader homePath="/status" place={status?.office.name} />
      <main className="status-page" id="main" tabIndex={-1}>
        <div className="status-page__head">
          <h1>{s('status.title')}</h1>
          <p className="small muted" data-testid="status-updated">
            {status ? s('status.updated', { time: clock(status.checkedAt && status.checkedAt > status.updatedAt ? status.checkedAt : status.updatedAt, tz, lang) }) : '…'}{' '}
            <span className={`status-live${live ? ' status-live--on' : ''}`} data-testid="status-live">
              {live ? s('status.live') : s('status.polling', { n: POLL_MS / 1000 })}
            </span>
          </p>
        </div>
        <p className="muted">{s('status.intro')}</p>
        {failed && !status && <p className="notice notice--error">{statusText(lang, 'status.noData')}</p>}
        {announcements.map((a) => (
          <section key={a.id} className="notice notice--warning status-announcement" id="pengumuman" aria-label={s('status.announcement')} data-testid="status-announcement">
            <p className="notice__title">
              {s('status.announcement')}
              {a.siteName ? ` — ${a.siteName}` : ''}
            </p>
            <p>{a.text[lang]}</p>
          </section>
        ))}
        {status && site && (
          <>
            <div className="field">
              <label className="field__label" htmlFor="status-site">
                {s('status.site')}
              </label>
              <select id="status-site" value={site.siteId} onChange={(e) => choose(e.target.value)}>
                {status.sites.map((x) => (
                  <option key={x.siteId} value={x.siteId}>
                    {x.siteName}
                  </option>
                ))}
              </select>
            </div>
            <ul className="status-services" aria-label={site.siteName}>
              {site.services.map((v) => {
                const text = status.explanations[v.explanation];
                return (
                  <li key={v.service} className={`status-service status-service--${v.state}`} data-testid="status-service" data-service={v.service} data-state={v.state}>
                    <div className="status-service__row">
                      <span className="status-service__name">{name(v.service)}</span>
                      <span className={`status-chip status-chip--${v.state}`}>{s(`state.${v.state}`)}</span>
                    </div>
                    {text && <p className="status-service__why">{text.explanation[lang]}</p>}
                    {text && v.state !== 'normal' && (
                      <p className="status-service__todo">
                        <strong>{s('status.whatToDo')}:</strong> {text.whatToDo[lang]}
                      </p>
                    )}
                    {v.overridden && <p className="small muted">{s('status.officerNote')}</p>}
                  </li>
                );
              })}
            </ul>
            <section aria-labelledby="status-others">
              <h2 id="status-others" className="status-h2">
                {s('status.otherSites')}
              </h2>
              {troubled.length === 0 ? (
                <p className="muted small">{s('status.allNormalElsewhere')}</p>
              ) : (
                <ul className="status-others">
                  {troubled.map((x) => (
                    <li key={x.siteId}>
                      <button type="button" className="button button--ghost button--small" onClick={() => choose(x.siteId)}>
                        {x.siteName}
                      </button>{' '}
                      {x.services
                        .filter((v) => v.state !== 'normal')
                        .map((v) => (
                          <span key={v.service} className={`status-chip status-chip--${v.state}`}>
                            {name(v.service)}: {s(`state.${v.state}`)}
                          </span>
                        ))}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <Maintenance status={status} lang={lang} />
            <Incidents status={status} lang={lang} />
            <History status={status} lang={lang} />
            <p className="small muted">
              <a href="/api/status/feed.atom">{s('status.feed')}</a> · <a href="/api/status">JSON</a>
            </p>
          </>
        )}
      </main>
    </>
  );
}

function Maintenance({ status, lang }: { status: PublicStatus; lang: Lang }) {
  if (status.maintenance.length === 0) return null;
  const s = (key: StatusMessageKey, params?: Record<string, string | number>) => statusText(lang, key, params);
  const tz = status.office.timeZone;
  return (
    <section aria-labelledby="status-maintenance">
      <h2 id="status-maintenance" className="status-h2">
        {s('status.maintenance')}
      </h2>
      <ul className="status-list">
        {status.maintenance.map((m) => (
          <li key={m.id} id={`pemeliharaan-${m.id}`} className="card">
            <p>
              <strong>{m.service ? status.serviceNames.find((n) => n.service === m.service)?.name[lang] : s('admin.allServices')}</strong>
              {' — '}
              {m.siteName ?? s('status.allSites')}
              {m.inForce && <span className="status-chip status-chip--pemeliharaan">{s('status.inForce')}</span>}
            </p>
            <p className="small">{s('status.maintenanceWhen', { from: formatDateTime(m.startsAt, lang, tz), to: formatDateTime(m.endsAt, lang, tz) })}</p>
            <p>{m.note[lang]}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Incidents({ status, lang }: { status: PublicStatus; lang: Lang }) {
  const s = (key: StatusMessageKey, params?: Record<string, string | number>) => statusText(lang, key, params);
  const tz = status.office.timeZone;
  return (
    <section aria-labelledby="status-incidents">
      <h2 id="status-incidents" className="status-h2">
        {s('status.incidents')}
      </h2>
      {status.incidents.length === 0 && <p className="muted small">{s('status.noIncidents')}</p>}
      <ul className="status-list">
        {status.incidents.map((i: IncidentView) => (
          <li key={i.id} id={`insiden-${i.id}`} className={`card status-incident${i.resolvedAt ? '' : ' status-incident--open'}`} data-testid="status-incident">
            <p className="status-incident__title">{i.title[lang]}</p>
            <p className="small muted">
              {i.resolvedAt ? s('status.resolved', { time: formatDateTime(i.resolvedAt, lang, tz) }) : s('status.ongoing', { time: formatDateTime(i.openedAt, lang, tz) })}
              {i.affectedCount > 0 && ` · ${s('status.affected', { n: formatNumber(i.affectedCount, lang) })}`}
            </p>
            <ol className="status-timeline">
              {[...i.updates].reverse().map((u, n) => (
                <li key={n}>
                  <span className="status-timeline__stage">{s(`incident.${u.status}`)}</span> <span className="small muted">{formatDateTime(u.at, lang, tz)} · {u.byOfficer ? s('status.byOfficer') : s('status.byOffice')}</span>
                  <p>{u.message[lang]}</p>
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ul>
    </section>
  );
}

function History({ status, lang }: { status: PublicStatus; lang: Lang }) {
  const s = (key: StatusMessageKey, params?: Record<string, string | number>) => statusText(lang, key, params);
  const day = (i: number) => new Date(Date.parse(`${status.history.from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
  return (
    <section aria-labelledby="status-history">
      <h2 id="status-history" className="status-h2">
        {s('status.history')}
      </h2>
      <p className="small muted">{s('status.historyHint')}</p>
      {status.history.services.map((h) => (
        <div key={h.service} className="status-history">
          <p className="small">{status.serviceNames.find((n) => n.service === h.service)?.name[lang]}</p>
          <div className="status-history__bars" role="img" aria-label={`${status.serviceNames.find((n) => n.service === h.service)?.name[lang]}: ${s('status.history')}`}>
            {h.states.map((state, i) => (
              <span key={i} className={`status-bar status-bar--${state ?? 'none'}`} title={`${day(i)}: ${state ? s(`state.${state}`) : s('status.noData')}`} />
            ))}
          </div>
        </div>
      ))}
    </section>
  );
}
