import type { ExpressionBuilder, ExpressionWrapper, SqlBool } from 'kysely';
import type { OfficeDb, OfficeDbOrTx } from '../db/schema.ts';
import type { DocumentsDb } from '../db/migrations-documents.ts';

/**
 * Who may see which residents across the sites of one office (README, "Who sees what"):
 * - the head of office, admins and everyone posted at the Dinas see the whole kabupaten;
 * - operators and supervisors at a kecamatan (or any other non-Dinas) site see the records made at their
 *   site and the residents whose village lies in their site's kecamatan, and the documents registered at
 *   their site or of a resident they may see.
 * A record outside a person's view answers 404 exactly like one that does not exist, so a lookup does not
 * even confirm that a NIK was recorded elsewhere in the kabupaten.
 */
export type Visibility = { scope: 'all' } | { scope: 'site'; siteId: string; districtCode: string | null };

const EVERYWHERE = new Set(['head', 'admin']);

export async function visibilityOf(db: OfficeDbOrTx, user: { role: string; siteId: string }): Promise<Visibility> {
  if (EVERYWHERE.has(user.role)) return { scope: 'all' };
  const site = await db.selectFrom('sites').select(['kind', 'district_code']).where('id', '=', user.siteId).executeTakeFirst();
  if (site?.kind === 'DINAS') return { scope: 'all' };
  return { scope: 'site', siteId: user.siteId, districtCode: site?.district_code ?? null };
}

/** The condition on `records` for what `visibility` may see (always true for the whole kabupaten). */
export function recordVisible(eb: ExpressionBuilder<OfficeDb, 'records'>, visibility: Visibility): ExpressionWrapper<OfficeDb, 'records', SqlBool> {
  if (visibility.scope === 'all') return eb.lit(true);
  const ownSite = eb('records.site_id', '=', visibility.siteId);
  // Kemendagri codes contain only digits and dots, so the kecamatan prefix needs no LIKE escaping.
  return visibility.districtCode ? eb.or([ownSite, eb('records.village_code', 'like', `${visibility.districtCode}.%`)]) : ownSite;
}

/** The condition on `documents`: registered at the person's site, or of a resident whose record they may see. */
export function documentVisible(eb: ExpressionBuilder<DocumentsDb, 'documents'>, visibility: Visibility): ExpressionWrapper<DocumentsDb, 'documents', SqlBool> {
  if (visibility.scope === 'all') return eb.lit(true);
  const ofVisibleResident = eb.exists(
    eb
      .selectFrom('records')
      .select('records.id')
      .whereRef('records.nik', '=', 'documents.nik')
      .where((inner) => recordVisible(inner as unknown as ExpressionBuilder<OfficeDb, 'records'>, visibility)),
  );
  return eb.or([eb('documents.site_id', '=', visibility.siteId), ofVisibleResident]);
}
