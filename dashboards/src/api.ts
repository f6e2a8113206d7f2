/**
 * REST calls and the API key: the key lives in localStorage and goes out as a Bearer header
 * (and as `?key=` on the WebSocket, which browsers cannot give headers). The page asks for a
 * key only when the engine is not in open mode, i.e. when `/api/info` answers 401.
 */
const STORAGE = 'volrisk.apiKey';

/** The stored API key, if any. */
export function apiKey(): string | null {
  try {
    return localStorage.getItem(STORAGE);
  } catch {
    return null;
  }
}

/** Stores (or, with null, forgets) the API key. */
export function setApiKey(key: string | null): void {
  if (key) localStorage.setItem(STORAGE, key);
  else localStorage.removeItem(STORAGE);
}

/** Thrown when the engine refuses the key (401) or the key's role (403). */
export class AuthError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** GETs a JSON endpoint with the stored key. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const key = apiKey();
  const res = await fetch(path, { headers: key ? { authorization: `Bearer ${key}` } : {}, signal, cache: 'no-store' });
  if (res.status === 401 || res.status === 403) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new AuthError(res.status, body.error ?? `HTTP ${res.status}`);
  }
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** The WebSocket URL of this page's engine, with the key. */
export function wsUrl(): string {
  const key = apiKey();
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/ws${key ? `?key=${encodeURIComponent(key)}` : ''}`;
}

/** What `/api/info` says about the engine. */
export interface EngineInfo {
  version: string;
  run: string;
  open: boolean;
  feed: string;
  bus: string;
  stages: string[];
  store?: { engine: string; version: string };
  tensor?: string;
}

/**
 * Resolves the engine's info once a key is accepted: asks for one (through `ask`) for as long
 * as the engine answers 401 or 403.
 */
export async function authenticate(ask: (why: string) => Promise<string>): Promise<EngineInfo> {
  for (;;) {
    try {
      return await getJson<EngineInfo>('/api/info');
    } catch (e) {
      if (!(e instanceof AuthError)) throw e;
      setApiKey((await ask(apiKey() ? `The key was refused: ${e.message}` : 'This engine needs an API key (role dashboard or higher).')).trim() || null);
    }
  }
}
