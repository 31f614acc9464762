import type { CentralDbOrTx } from '../db/schema.ts';

/**
 * The gallery entries of one kabupaten after a cursor: records whose NIK carries its region code (residents
 * recorded anywhere) or that its office recorded (a newcomer with another region's NIK). A page reads at most
 * `scan` gallery seqs, so a small kabupaten's first sync costs the centre bounded work per request rather
 * than a scan of the whole national gallery for 500 matching rows; the cursor moves past what was scanned.
 */
export async function gallerySubsetPage(db: CentralDbOrTx, filter: { officeId: string; nikPrefix: string; after: number; limit: number; scan: number }) {
  const rows = await db
    .selectFrom('gallery')
    .innerJoin('enrollments', 'enrollments.record_id', 'gallery.record_id')
    .select(['gallery.seq', 'gallery.record_id', 'gallery.templates', 'enrollments.nik', 'enrollments.full_name'])
    .where('gallery.seq', '>', filter.after)
    .where('gallery.seq', '<=', filter.after + filter.scan)
    .where((eb) => eb.or([eb('enrollments.office_id', '=', filter.officeId), eb('enrollments.nik', 'like', `${filter.nikPrefix}%`)]))
    .orderBy('gallery.seq')
    .limit(filter.limit)
    .execute();
  const head = await db.selectFrom('gallery').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  return { rows: rows.map((r) => ({ ...r, seq: Number(r.seq) })), head: Number(head?.seq ?? 0) };
}
