import { OFFICE_SCOPE, type ServiceId } from '@tangguh/domain';
import type { AnnouncementView, IncidentView, MaintenanceView } from '@tangguh/protocol';
import type { AnnouncementRow, IncidentRow, IncidentUpdateRow, MaintenanceRow } from '../repositories/service-status.ts';

/** Rows of the status tables as the API shows them ('*' becomes null: every site / the whole office). */
const site = (id: string, names: Map<string, string>) => (id === OFFICE_SCOPE ? { siteId: null, siteName: null } : { siteId: id, siteName: names.get(id) ?? id });

const services = (json: string): ServiceId[] => {
  try {
    return JSON.parse(json) as ServiceId[];
  } catch {
    return [];
  }
};

export function presentIncident(i: IncidentRow & { updates: IncidentUpdateRow[] }, names: Map<string, string>): IncidentView {
  return {
    id: i.id,
    title: { id: i.title_id, en: i.title_en },
    status: i.status,
    capability: i.capability,
    ...site(i.scope, names),
    services: services(i.services),
    openedAt: i.opened_at,
    resolvedAt: i.resolved_at,
    affectedCount: Number(i.affected_count),
    updates: i.updates.map((u) => ({ at: u.at, status: u.status, message: { id: u.message_id, en: u.message_en }, byOfficer: u.author !== null })),
  };
}

export function presentAnnouncement(a: AnnouncementRow, names: Map<string, string>): AnnouncementView {
  return { id: a.id, ...site(a.site_id, names), text: { id: a.text_id, en: a.text_en }, setAt: a.set_at, expiresAt: a.expires_at };
}

export function presentMaintenance(m: MaintenanceRow, names: Map<string, string>, now: string): MaintenanceView {
  return {
    id: m.id,
    service: m.service === '*' ? null : m.service,
    ...site(m.site_id, names),
    startsAt: m.starts_at,
    endsAt: m.ends_at,
    note: { id: m.note_id, en: m.note_en },
    inForce: m.starts_at <= now && now < m.ends_at,
  };
}
