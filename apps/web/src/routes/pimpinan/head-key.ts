/**
 * The head's personal TTE key, in this browser only. WebCrypto makes an Ed25519 pair whose private half is
 * not extractable: scripts can ask it to sign but can never read it, so neither the office server nor anyone
 * with its database can sign in the head's name. The pair is kept in IndexedDB (which stores CryptoKey
 * objects as they are), one per person; IndexedDB belongs to one origin, that is one office. Losing it (another browser, cleared data) means enrolling
 * a new key, which a centre admin approves again.
 */

const DB_NAME = 'tangguh-tte';
const STORE = 'head-keys';

export interface HeadKey {
  /** Raw public key, base64url: what the centre holds. */
  publicKey: string;
  /** The same grouping the centre shows its admin, to compare over the phone. */
  fingerprint: string;
  sign(challenge: string): Promise<string>;
}

function openStore(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function withStore<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openStore();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = run(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

const base64Url = (bytes: ArrayBuffer): string =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** SHA-256 of the raw key, first 20 bytes as ten groups of four hex digits (as tteKeyFingerprint at the centre). */
async function fingerprintOf(raw: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', raw));
  const hex = Array.from(digest.slice(0, 20), (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
  return hex.match(/.{4}/g)!.join(' ');
}

async function present(pair: CryptoKeyPair): Promise<HeadKey> {
  const raw = await crypto.subtle.exportKey('raw', pair.publicKey);
  return {
    publicKey: base64Url(raw),
    fingerprint: await fingerprintOf(raw),
    sign: async (challenge) => base64Url(await crypto.subtle.sign('Ed25519', pair.privateKey, new TextEncoder().encode(challenge))),
  };
}

/** The key this browser holds for the person, if any. */
export async function loadHeadKey(username: string): Promise<HeadKey | undefined> {
  const pair = await withStore<CryptoKeyPair | undefined>('readonly', (store) => store.get(username) as IDBRequest<CryptoKeyPair | undefined>);
  return pair ? present(pair) : undefined;
}

/** Makes a new pair (replacing any earlier one of this browser) and keeps it. */
export async function createHeadKey(username: string): Promise<HeadKey> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  await withStore('readwrite', (store) => store.put(pair, username));
  return present(pair);
}

/** Whether this browser can make such a key at all (Chromium 137+, Firefox 129+, Safari 17+). */
export function headKeysSupported(): boolean {
  return typeof indexedDB !== 'undefined' && typeof crypto !== 'undefined' && typeof crypto.subtle?.generateKey === 'function';
}
