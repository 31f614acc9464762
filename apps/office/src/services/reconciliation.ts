import { DomainError } from '@tangguh/domain';
import { RECONCILIATION_MAX_DAYS, type CentralReconcileResponse, type ReconciliationMismatch, type ReconciliationQuery, type ReconciliationReport } from '@tangguh/protocol';
import type { OfficeContext } from '../context.ts';
import { getSyncNumber } from '../repositories/sync-state.ts';
import {
  documentsWaitingInWindow,
  findIncident,
  incidentsBetween,
  type IncidentRow,
  heldRecordIds,
  notificationsForCause,
  notificationsInWindow,
  officeEventsInWindow,
  outboxEntriesBySeq,
  printJobsInWindow,
  printsWaitingInWindow,
  recordingsInWindow,
  suketsInWindow,
} from '../repositories/reconciliation.ts';

/**
 * The reconciliation report after an outage (ARCHITECTURE principle 6: provisional at the office, final at the
 * centre, every difference reported). For a window — an incident's [opened, resolved] or any [from, to] — it
 * lists what the office did (recordings, Sukets, documents that waited for the e-signature, prints that
 * waited, people notified) and compares it with what the centre holds of this office in the same window,
 * asked over the signed channel (GET /sync/reconcile). If the centre cannot be asked, the report still says
 * what the office knows — its own acknowledgement state — and says that the centre was not compared.
 */

/** How the office asks the centre; absent when the node runs without a centre configured. */
export type CentreView = (from: string, to: string) => Promise<CentralReconcileResponse>;

export const windowInvalid = () =>
  new DomainError('RECONCILE_WINDOW_INVALID', {
    id: `Jendela waktu tidak sah: "dari" harus sebelum "sampai", paling lama ${RECONCILIATION_MAX_DAYS} hari.`,
    en: `The window is invalid: "from" must come before "to", at most ${RECONCILIATION_MAX_DAYS} days.`,
  });

/** The print room's note on a job ({ id, en } as JSON), or null when there is none or it cannot be read. */
function problemOf(stored: string | null): { id: string; en: string } | null {
  if (!stored) return null;
  try {
    const parsed = JSON.parse(stored) as { id?: unknown; en?: unknown };
    return typeof parsed.id === 'string' && typeof parsed.en === 'string' ? { id: parsed.id, en: parsed.en } : null;
  } catch {
    return { id: stored, en: stored };
  }
}

const notSent = (seq: number | null, acked: number) => ({
  id: `seq outbox ${seq ?? '—'} belum diakui pusat (diakui sampai ${acked})`,
  en: `outbox seq ${seq ?? '—'} not acknowledged yet (acknowledged through ${acked})`,
});

/** The notifications log's outcomes (notify/dispatcher.ts): delivered, or given up; anything else is still on its way. */
const SENT = ['sent'];
const FAILED = ['failed', 'dead'];

const minutesBetween = (from: string, to: string) => Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / 60_000));

const incidentNotFound = () =>
  new DomainError('INCIDENT_NOT_FOUND', { id: 'Gangguan itu tidak ditemukan.', en: 'That incident was not found.' }, 'not_found');

const windowMissing = () =>
  new DomainError('RECONCILE_WINDOW_MISSING', {
    id: 'Sebutkan gangguan (incidentId) atau jendela waktu (from dan to).',
    en: 'Name an incident (incidentId) or a window (from and to).',
  });

const presentIncident = (i: IncidentRow): NonNullable<ReconciliationReport['incident']> => ({
  id: i.id,
  title: { id: i.title_id, en: i.title_en },
  openedAt: i.opened_at,
  resolvedAt: i.resolved_at,
  affectedCount: Number(i.affected_count),
});

/**
 * The window of the report: an incident's [opened, resolved] (until now while it is still open), else the
 * [from, to] given.
 */
async function windowOf(ctx: OfficeContext, query: ReconciliationQuery): Promise<{ from: string; to: string; incident: IncidentRow | undefined }> {
  if (query.incidentId) {
    const incident = await findIncident(ctx.db, query.incidentId);
    if (!incident) throw incidentNotFound();
    return { from: incident.opened_at, to: incident.resolved_at ?? ctx.now().toISOString(), incident };
  }
  if (!query.from || !query.to) throw windowMissing();
  return { from: query.from, to: query.to, incident: undefined };
}

export async function reconciliationReport(ctx: OfficeContext, query: ReconciliationQuery, centre?: CentreView): Promise<ReconciliationReport> {
  const window = await windowOf(ctx, query);
  const fromDate = new Date(window.from);
  const toDate = new Date(window.to);
  if (!(fromDate.getTime() <= toDate.getTime()) || toDate.getTime() - fromDate.getTime() > RECONCILIATION_MAX_DAYS * 86_400_000) throw windowInvalid();
  const from = fromDate.toISOString();
  const to = toDate.toISOString();
  const now = ctx.now().toISOString();

  const [incidents, acked, recordings, sukets, documents, prints, jobs, events, notified, toldOfIncident] = await Promise.all([
    incidentsBetween(ctx.db, from, to),
    getSyncNumber(ctx.db, 'acked_seq'),
    recordingsInWindow(ctx.db, from, to),
    suketsInWindow(ctx.db, from, to),
    documentsWaitingInWindow(ctx.db, from, to),
    printsWaitingInWindow(ctx.db, from, to),
    printJobsInWindow(ctx.db, from, to),
    officeEventsInWindow(ctx.db, from, to),
    notificationsInWindow(ctx.db, from, to),
    window.incident ? notificationsForCause(ctx.db, `incident:${window.incident.id}`) : Promise.resolve(undefined),
  ]);

  let view: CentralReconcileResponse | undefined;
  let centreState: ReconciliationReport['centre'] = { state: 'NOT_CONFIGURED', appliedSeq: null, error: null, truncated: false };
  if (centre) {
    try {
      view = await centre(from, to);
      centreState = { state: 'ANSWERED', appliedSeq: view.appliedSeq, error: null, truncated: view.truncated };
    } catch (error) {
      centreState = { state: 'UNREACHABLE', appliedSeq: null, error: error instanceof Error ? error.message.slice(0, 300) : String(error), truncated: false };
    }
  }

  const atCentre = new Map((view?.records ?? []).map((r) => [r.recordId, r]));
  const centreEvents = new Map((view?.events ?? []).map((e) => [e.seq, e]));
  const isAcked = (seq: number | null | undefined) => seq !== null && seq !== undefined && Number(seq) <= acked;
  const mismatches: ReconciliationMismatch[] = [];

  const recordingRows = recordings.map((r) => {
    const seq = r.seq === null ? null : Number(r.seq);
    const held = atCentre.get(r.id);
    const acknowledged = isAcked(seq);
    if (view) {
      if (!acknowledged && !held) {
        mismatches.push({ kind: 'NOT_YET_SENT', subject: r.registration_number, office: r.status, centre: null, detail: notSent(seq, acked) });
      } else if (!held) {
        mismatches.push({ kind: 'MISSING_AT_CENTRE', subject: r.registration_number, office: r.status, centre: null, detail: { id: `seq outbox ${seq} sudah diakui, tetapi pusat tidak memegang rekaman ${r.id}`, en: `outbox seq ${seq} acknowledged, but the centre does not hold record ${r.id}` } });
      } else if (held.status !== r.status) {
        mismatches.push({ kind: 'STATUS_DIFFERS', subject: r.registration_number, office: r.status, centre: held.status, detail: { id: `rekaman ${r.id}`, en: `record ${r.id}` } });
      }
    } else if (!acknowledged) {
      mismatches.push({ kind: 'NOT_YET_SENT', subject: r.registration_number, office: r.status, centre: null, detail: notSent(seq, acked) });
    }
    return {
      recordId: r.id,
      registrationNumber: r.registration_number,
      siteName: r.site_name,
      recordedAt: r.recorded_at,
      officeStatus: r.status,
      outboxSeq: seq,
      acknowledged,
      centreStatus: held?.status ?? null,
      receivedAtCentre: held?.receivedAt ?? null,
    };
  });

  if (view) {
    const ours = new Set(recordings.map((r) => r.id));
    const strangers = view.records.filter((r) => !ours.has(r.recordId));
    const held = await heldRecordIds(ctx.db, strangers.map((r) => r.recordId));
    for (const r of strangers) {
      if (!held.has(r.recordId)) mismatches.push({ kind: 'UNKNOWN_AT_OFFICE', subject: r.registrationNumber, office: null, centre: r.status, detail: { id: `rekaman ${r.recordId}, diterima pusat ${r.receivedAt}`, en: `record ${r.recordId}, received at the centre ${r.receivedAt}` } });
    }
  }

  // The office's own events: each acknowledged one must be logged at the centre under the same seq.
  for (const e of events) {
    const seq = Number(e.seq);
    if (!isAcked(seq)) {
      mismatches.push({ kind: 'NOT_YET_SENT', subject: `${e.kind} ${e.subject_id ?? ''}`.trim(), office: e.kind, centre: null, detail: notSent(seq, acked) });
    } else if (view && !centreEvents.has(seq)) {
      mismatches.push({ kind: 'EVENT_MISSING_AT_CENTRE', subject: `${e.kind} ${e.subject_id ?? ''}`.trim(), office: e.kind, centre: null, detail: { id: `seq outbox ${seq} sudah diakui, tidak tercatat di pusat`, en: `outbox seq ${seq} acknowledged, not logged at the centre` } });
    }
  }
  if (view) {
    const ourSeqs = await outboxEntriesBySeq(ctx.db, [...centreEvents.keys()]);
    for (const [seq, e] of centreEvents) {
      const ours = ourSeqs.get(seq);
      if (!ours || ours.kind !== e.kind || (ours.subjectId ?? '') !== e.subjectId) {
        mismatches.push({ kind: 'EVENT_UNKNOWN_AT_OFFICE', subject: `${e.kind} ${e.subjectId}`, office: ours ? `${ours.kind} ${ours.subjectId ?? ''}`.trim() : null, centre: e.kind, detail: { id: `seq ${seq} di pusat`, en: `seq ${seq} at the centre` } });
      }
    }
  }

  const suketRows = sukets.map((s) => {
    const seq = s.seq === null ? null : Number(s.seq);
    return {
      serial: s.serial,
      recordId: s.record_id,
      issuedAt: s.issued_at,
      issuedBy: s.issued_by,
      status: s.status,
      acknowledged: isAcked(seq),
      loggedAtCentre: view && seq !== null ? centreEvents.has(seq) : null,
    };
  });

  const documentRows = documents.map((d) => ({
    id: d.id,
    serial: d.serial,
    type: d.type,
    createdAt: d.created_at,
    status: d.status,
    signatureKind: d.signature_kind,
    signedAt: d.signed_at,
    waitedMinutes: minutesBetween(d.created_at, d.signed_at ?? now),
  }));

  const printRows = prints.map((p) => ({ recordId: p.id, registrationNumber: p.registration_number, printReadyAt: String(p.ready_at), printedAt: p.printed_at === null ? null : String(p.printed_at), status: p.status }));

  const printJobRows = jobs.map((j) => ({
    jobId: j.id,
    recordId: j.record_id,
    registrationNumber: j.registration_number ?? null,
    siteId: j.site_id,
    state: j.state,
    createdAt: j.created_at,
    printedAt: j.printed_at,
    problem: problemOf(j.problem),
  }));

  const outcomes = (counts: Map<string, number>) => {
    const sum = (statuses: string[]) => statuses.reduce((total, s) => total + (counts.get(s) ?? 0), 0);
    const all = [...counts.values()].reduce((a, b) => a + b, 0);
    const sent = sum(SENT);
    const failed = sum(FAILED);
    return { sent, failed, pending: all - sent - failed };
  };
  return {
    window: { from, to },
    incident: window.incident ? presentIncident(window.incident) : null,
    incidents: incidents.map(presentIncident),
    generatedAt: now,
    officeName: ctx.office.name,
    timeZone: ctx.office.timeZone,
    centre: centreState,
    officeAckedSeq: acked,
    recordings: recordingRows,
    sukets: suketRows,
    documents: documentRows,
    prints: printRows,
    printJobs: printJobRows,
    notifications: {
      available: notified !== undefined,
      ...(notified ? outcomes(notified) : { sent: null, failed: null, pending: null }),
      incident: toldOfIncident ? outcomes(toldOfIncident) : null,
    },
    mismatches,
    totals: {
      recordings: recordingRows.length,
      reachedCentre: recordingRows.filter((r) => (view ? r.centreStatus !== null : r.acknowledged)).length,
      sukets: suketRows.length,
      documentsWaited: documentRows.length,
      documentsSigned: documentRows.filter((d) => d.signedAt !== null).length,
      printsDelayed: printRows.length,
      printJobs: printJobRows.length,
      mismatches: mismatches.length,
    },
  };
}
