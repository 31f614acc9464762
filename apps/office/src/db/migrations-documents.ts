import type { Generated, Kysely } from 'kysely';
import type { OfficeDb } from './schema.ts';

export const DOCUMENT_STATUSES = ['AWAITING_SIGNATURE', 'SIGNED', 'WET_SIGNED', 'SUPERSEDED'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

// A type alias, not an interface: Kysely's withTables needs an indexable shape.
/** The e-signed documents' tables (KK, akta …), beside the office's schema. */
export type DocumentTables = {
  /** Configurable: seeded with the usual four, an admin may add more. `fields` is a JSON list of { key, label }. */
  document_types: { code: string; name: string; fields: string; created_at: string; created_by: string };
  documents: {
    id: string;
    /** The serial in the QR and on the revocation list: `<office>-DOK-<yyyymmdd>-<n>`. */
    serial: string;
    type: string;
    /** The document's own number (nomor KK, nomor akta); a newer document with the same type and number supersedes the older. */
    nomor: string;
    nik: string;
    full_name: string;
    fields: string;
    status: DocumentStatus;
    status_at: string;
    site_id: string;
    created_by: string;
    created_at: string;
    /** 'TTE' (electronic, with a QR) or 'WET' (the policy fallback, without one). */
    signature_kind: 'TTE' | 'WET' | null;
    signed_at: string | null;
    signed_by: string | null;
    signed_by_name: string | null;
    qr_text: string | null;
    wet_reason: string | null;
    superseded_by: string | null;
  };
  /** Office policy switches (wet_signature_fallback); absent means off. */
  office_policies: { key: string; enabled: number; changed_at: string; changed_by: string; reason: string };
  /** Every switch of a signature policy and every wet signature: who, in what role, why, when. */
  signature_audit: {
    id: Generated<number>;
    action: 'POLICY_ON' | 'POLICY_OFF' | 'WET_SIGNED';
    policy: string;
    document_id: string | null;
    actor: string;
    actor_name: string;
    actor_role: string;
    reason: string;
    at: string;
  };
};

export type DocumentsDb = OfficeDb & DocumentTables;

/** Indonesian names as printed on the documents; the field lists are what the form offers first. */
export const DEFAULT_DOCUMENT_TYPES = [
  {
    code: 'KK',
    name: 'Kartu Keluarga',
    fields: [
      { key: 'kepala_keluarga', label: 'Nama kepala keluarga' },
      { key: 'alamat', label: 'Alamat' },
      { key: 'desa_kelurahan', label: 'Desa/Kelurahan' },
      { key: 'kecamatan', label: 'Kecamatan' },
    ],
  },
  {
    code: 'AKTA_KELAHIRAN',
    name: 'Akta Kelahiran',
    fields: [
      { key: 'tempat_lahir', label: 'Tempat lahir' },
      { key: 'tanggal_lahir', label: 'Tanggal lahir' },
      { key: 'nama_ayah', label: 'Nama ayah' },
      { key: 'nama_ibu', label: 'Nama ibu' },
    ],
  },
  {
    code: 'AKTA_KEMATIAN',
    name: 'Akta Kematian',
    fields: [
      { key: 'tanggal_meninggal', label: 'Tanggal meninggal' },
      { key: 'tempat_meninggal', label: 'Tempat meninggal' },
      { key: 'sebab', label: 'Sebab kematian' },
    ],
  },
  {
    code: 'SURAT_PINDAH',
    name: 'Surat Keterangan Pindah',
    fields: [
      { key: 'alamat_asal', label: 'Alamat asal' },
      { key: 'alamat_tujuan', label: 'Alamat tujuan' },
      { key: 'alasan_pindah', label: 'Alasan pindah' },
    ],
  },
] as const;

/** Creates the document tables and seeds the usual document types (once; an admin's additions stay). */
export async function migrateDocuments(base: Kysely<OfficeDb>): Promise<void> {
  const db = base.withTables<DocumentTables>();
  const s = db.schema;
  await s
    .createTable('document_types')
    .ifNotExists()
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await s
    .createTable('documents')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('serial', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull().references('document_types.code'))
    .addColumn('nomor', 'text', (c) => c.notNull())
    .addColumn('nik', 'text', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_at', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('signature_kind', 'text')
    .addColumn('signed_at', 'text')
    .addColumn('signed_by', 'text')
    .addColumn('signed_by_name', 'text')
    .addColumn('qr_text', 'text')
    .addColumn('wet_reason', 'text')
    .addColumn('superseded_by', 'text')
    .execute();
  await s.createIndex('documents_status').ifNotExists().on('documents').columns(['status', 'created_at']).execute();
  await s.createIndex('documents_type_nomor').ifNotExists().on('documents').columns(['type', 'nomor', 'created_at']).execute();
  await s
    .createTable('office_policies')
    .ifNotExists()
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await s
    .createTable('signature_audit')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();

  const seeded = await db.selectFrom('document_types').select('code').limit(1).executeTakeFirst();
  if (seeded) return;
  const at = new Date().toISOString();
  await db
    .insertInto('document_types')
    .values(DEFAULT_DOCUMENT_TYPES.map((t) => ({ code: t.code, name: t.name, fields: JSON.stringify(t.fields), created_at: at, created_by: 'provisioning' })))
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}
