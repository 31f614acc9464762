import { createPublicKey } from 'node:crypto';
import { DomainError } from '@tangguh/domain';
import type { GallerySubsetEntry, GallerySubsetQuery, GallerySubsetResponse } from '@tangguh/protocol';
import { seal } from '@tangguh/protocol/node';
import type { CentralContext } from '../context.ts';
import { findOffice } from '../repositories/offices.ts';
import { gallerySubsetPage } from '../repositories/gallery-subset.ts';

/** Gallery seqs one page may read past (see repositories/gallery-subset.ts). */
const SCAN_PER_PAGE = 50_000;

const badKey = () =>
  new DomainError('GALLERY_KEY_INVALID', { id: 'Kunci galeri kantor tidak sah (X25519 mentah, base64url).', en: "The office's gallery key is not valid (raw X25519, base64url)." });

function recipientPem(sealTo: string): string {
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: sealTo }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    throw badKey();
  }
}

/**
 * A page of the kabupaten's gallery for its office's provisional search. The templates leave the centre only
 * sealed to the key the office named in its signed request, so neither the wire nor a proxy's log holds them
 * readable, and no other office can ask for them: the office is the one whose signature the request carries.
 */
export async function gallerySubsetFeed(ctx: CentralContext, officeId: string, query: GallerySubsetQuery): Promise<GallerySubsetResponse> {
  const pem = recipientPem(query.sealTo);
  const office = await findOffice(ctx.db, officeId);
  const nikPrefix = (office?.regency_code ?? officeId).replace(/\D/g, '');
  const { rows, head } = await gallerySubsetPage(ctx.db, { officeId, nikPrefix, after: query.after, limit: query.limit, scan: SCAN_PER_PAGE });
  const nextCursor = rows.length === query.limit ? rows[rows.length - 1]!.seq : Math.max(query.after, Math.min(query.after + SCAN_PER_PAGE, head));
  const entries: GallerySubsetEntry[] = rows.map((r) => ({
    seq: r.seq,
    recordId: r.record_id,
    nik: r.nik,
    fullName: r.full_name,
    templates: Buffer.from(ctx.galleryKey.open(new Uint8Array(r.templates))).toString('base64'),
  }));
  const sealed = entries.length === 0 ? null : Buffer.from(seal(pem, Buffer.from(JSON.stringify(entries)))).toString('base64url');
  return { count: entries.length, sealed, nextCursor, hasMore: nextCursor < head };
}
