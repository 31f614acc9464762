import { generateSigningKeyPair } from '@tangguh/protocol/node';
import { hashPassword, openDatabase, openSecretText, sealSecret, type Db } from '@tangguh/platform';
import { DEFAULT_TIME_ZONE, isValidTimeZone, timeZoneOfProvince, type RegionDirectory } from '@tangguh/domain';
import type { OfficeDb } from '../db/schema.ts';
import { migrateOffice } from '../db/migrate.ts';
import type { OfficeIdentity } from '../context.ts';
import { upsertOfficeUser, type OfficeRole } from '../repositories/users.ts';
import { insertSettings, readAllSettings, writeSetting } from '../repositories/settings.ts';
import { insertSites } from '../repositories/sites.ts';
import { refuseWrongMasterKey, sealOfficeSecrets } from './secrets-at-rest.ts';

export interface OfficeSetup extends Omit<OfficeIdentity, 'timeZone'> {
  centralSealingPublicKey: string;
  /** IANA zone of the office; by default the zone of its province. */
  timeZone?: string;
  /** PEM of the centre's TLS certificate (or its CA), pinned now: the office then talks to the centre over TLS only with it. */
  centralTlsCa?: string;
}

export const CENTRAL_TLS_CA_SETTING = 'central_tls_ca';

export const TIME_ZONE_SETTING = 'time_zone';

/**
 * The office's zone: the stored setting, else the zone of its province (every province lies in one zone),
 * else Asia/Jakarta. An office provisioned before zones were stored reads the same default it is given now.
 */
export function officeTimeZone(setting: string | undefined, regencyCode: string): string {
  return setting ?? timeZoneOfProvince(regencyCode) ?? DEFAULT_TIME_ZONE;
}

export interface OfficeKeys {
  signingPrivateKey: string;
  signingPublicKey: string;
  centralSealingPublicKey: string;
  /** The pinned PEM the centre's TLS certificate must chain to; absent when the office was provisioned for plain HTTP. */
  centralTlsCa?: string;
}

/**
 * Creates an office database on first use: its identity, its own signing key pair (the public half is
 * registered at the centre), the centre's sealing key, and a site for the Dinas and each kecamatan.
 */
export async function provisionOffice(location: string, setup: OfficeSetup, regions: RegionDirectory): Promise<{ publicKey: string }> {
  const handle = openDatabase<OfficeDb>(location);
  try {
    await refuseWrongMasterKey(handle.db);
    await migrateOffice(handle);
    await sealOfficeSecrets(handle.db);
    const settings = await readAllSettings(handle.db);
    const existing = settings.get('signing_public_key');
    if (existing) {
      if (setup.centralTlsCa) await pinCentralCertificate(handle.db, setup.centralTlsCa);
      return { publicKey: existing };
    }
    const timeZone = officeTimeZone(setup.timeZone, setup.regencyCode);
    if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone ${timeZone}; use an IANA name such as Asia/Jayapura`);
    const pair = generateSigningKeyPair();
    await handle.db.transaction().execute(async (trx) => {
      await insertSettings(trx, [
        { key: 'office_id', value: setup.id },
        { key: 'office_name', value: setup.name },
        { key: 'regency_code', value: setup.regencyCode },
        { key: TIME_ZONE_SETTING, value: timeZone },
        { key: 'signing_private_key', value: sealSecret(pair.privateKey) },
        { key: 'signing_public_key', value: pair.publicKey },
        { key: 'central_sealing_public_key', value: setup.centralSealingPublicKey },
        ...(setup.centralTlsCa ? [{ key: CENTRAL_TLS_CA_SETTING, value: setup.centralTlsCa }] : []),
      ]);
      const districts = regions.districtsOf(setup.regencyCode);
      await insertSites(trx, [
        { id: 'dinas', name: 'Kantor Dinas', kind: 'DINAS', district_code: null },
        ...districts.map((d) => ({ id: `kec-${d.code}`, name: `Kecamatan ${d.name}`, kind: 'KECAMATAN', district_code: d.code })),
      ]);
    });
    return { publicKey: pair.publicKey };
  } finally {
    await handle.close();
  }
}

export async function loadOfficeIdentity(db: Db<OfficeDb>['db']): Promise<{ office: OfficeIdentity; keys: OfficeKeys }> {
  const s = await readAllSettings(db);
  const get = (key: string) => {
    const value = s.get(key);
    if (!value) throw new Error(`office database is not provisioned (missing ${key}); run "tangguh demo" or "tangguh office-init"`);
    return value;
  };
  return {
    office: { id: get('office_id'), name: get('office_name'), regencyCode: get('regency_code'), timeZone: officeTimeZone(s.get(TIME_ZONE_SETTING), get('regency_code')) },
    keys: {
      signingPrivateKey: openSecretText(get('signing_private_key')),
      signingPublicKey: get('signing_public_key'),
      centralSealingPublicKey: get('central_sealing_public_key'),
      ...(s.get(CENTRAL_TLS_CA_SETTING) ? { centralTlsCa: s.get(CENTRAL_TLS_CA_SETTING) } : {}),
    },
  };
}

/**
 * Pins (or re-pins, when the centre's certificate is replaced at a visit by its operators) the certificate the
 * centre's TLS must chain to. Only an operator with the database does this; nothing fetched over the network does.
 */
export async function pinCentralCertificate(db: Db<OfficeDb>['db'], pem: string): Promise<void> {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new TypeError('the centre TLS pin must be a PEM certificate');
  await writeSetting(db, CENTRAL_TLS_CA_SETTING, pem);
}

export async function addOfficeUser(db: Db<OfficeDb>['db'], user: { username: string; fullName: string; role: OfficeRole; siteId: string; password: string }): Promise<void> {
  const password_hash = await hashPassword(user.password);
  await upsertOfficeUser(db, { username: user.username, full_name: user.fullName, role: user.role, site_id: user.siteId, password_hash });
}
