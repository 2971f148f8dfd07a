// A tiny IndexedDB key/value store for what is too big for chrome.storage: list texts, the engine
// snapshot, the dynamic rules' source map, the privacy report's ledger.
const DB = 'pixelguard';
const STORE = 'kv';

let opening;
function db() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opening;
}

async function run(mode, act) {
  const tx = (await db()).transaction(STORE, mode);
  const request = act(tx.objectStore(STORE));
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = tx.onabort = () => reject(tx.error ?? request.error);
  });
}

export const get = (key) => run('readonly', (s) => s.get(key));
/** Whether `key` is stored, without reading its value. */
export const has = (key) => run('readonly', (s) => s.count(key)).then((n) => n > 0);
export const put = (key, value) => run('readwrite', (s) => s.put(value, key));
export const remove = (key) => run('readwrite', (s) => s.delete(key));

/** The values of the keys from `first` up to (not including) `end`, in key order. */
export const valuesFrom = (first, end) => run('readonly', (s) => s.getAll(IDBKeyRange.bound(first, end, false, true)));
/** Removes the keys from `first` up to (not including) `end`. */
export const removeRange = (first, end) => run('readwrite', (s) => s.delete(IDBKeyRange.bound(first, end, false, true)));
