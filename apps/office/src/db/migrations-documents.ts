import type { Generated } from 'kysely';
import type { OfficeDb } from './schema.ts';

export const DOCUMENT_STATUSES = ['AWAITING_SIGNATURE', 'SIGNED', 'WET_SIGNED', 'SUPERSEDED'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

// A type alias, not an interface: Kysely's withTables needs an indexable shape.
/** The e-signed documents' tables (KK, akta …), beside the office's schema (created by migrations/0001_baseline.ts). */
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
