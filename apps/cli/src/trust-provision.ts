import { generateSigningKey } from '@tangguh/credential';
import type { CentralContext } from '@tangguh/central/context';
import { certifyDocumentKey, currentRevocationList, currentTrustList, trustRootInfo } from '@tangguh/central/services/trust';
import { openDatabase } from '@tangguh/platform';
import type { OfficeDb } from '@tangguh/office/schema';
import { installCertifiedKey, listDocumentKeys } from '@tangguh/office/services/document-keys';
import { cachedList, pinTrustRoot, storeSignedList } from '@tangguh/office/services/trust-store';

/**
 * Sets up an office's side of the root of trust while the centre and the office sit side by side (as at
 * installation): the centre's root public key pinned in the office (never fetched over the network later),
 * a SUKET signing key made in the office and certified by the centre, and the current signed lists, so the
 * office can issue and verify Suket from its first minute, centre or no centre. Safe to run again.
 */
export async function provisionOfficeTrust(central: CentralContext, officeDbPath: string, officeId: string): Promise<void> {
  const office = openDatabase<OfficeDb>(officeDbPath);
  try {
    await pinTrustRoot(office.db, await trustRootInfo(central));
    const keys = await listDocumentKeys(office.db);
    if (!keys.some((k) => k.purpose === 'SUKET' && k.state === 'CURRENT')) {
      const key = generateSigningKey();
      const entry = await certifyDocumentKey(central, { officeId, purpose: 'SUKET', publicKey: key.publicKey });
      await installCertifiedKey(office.db, key, entry, central.now().toISOString());
    }
    const now = central.now().toISOString();
    for (const [name, list] of [
      ['TRUST_LIST', await currentTrustList(central)],
      ['REVOCATION_LIST', await currentRevocationList(central)],
    ] as const) {
      const held = await cachedList(office.db, name);
      if (!held || held.sequence <= list.sequence) await storeSignedList(office.db, name, list.signed, now);
    }
  } finally {
    await office.close();
  }
}
