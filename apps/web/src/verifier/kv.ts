/**
 * A tiny key-value store in IndexedDB for the verifier's pinned root key and lists. The revocation
 * list grows with every card issued (each revokes a Suket), so localStorage's few megabytes would
 * not last. Where IndexedDB is unavailable (some private modes) the values live in memory only.
 */
const DB_NAME = 'tangguh-verifier';
const STORE = 'kv';

const memory = new Map<string, unknown>();
let opening: Promise<IDBDatabase | null> | undefined;

function openDb(): Promise<IDBDatabase | null> {
  opening ??= new Promise((resolve) => {
    try {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
      request.onblocked = () => resolve(null);
    } catch {
      resolve(null);
    }
  });
  return opening;
}

function run<T>(db: IDBDatabase, mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = act(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(request.result as T);
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export async function kvGet<T>(key: string): Promise<T | undefined> {
  const db = await openDb();
  if (!db) return memory.get(key) as T | undefined;
  try {
    return await run<T | undefined>(db, 'readonly', (store) => store.get(key));
  } catch {
    return memory.get(key) as T | undefined;
  }
}

export async function kvSet(key: string, value: unknown): Promise<void> {
  memory.set(key, value);
  const db = await openDb();
  if (!db) return;
  try {
    await run(db, 'readwrite', (store) => store.put(value, key));
  } catch {
    // Kept in memory for this visit; the next refresh writes it again.
  }
}
