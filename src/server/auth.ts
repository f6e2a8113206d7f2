/**
 * API keys with roles, for REST and WebSocket alike. With no keys configured the engine runs in
 * open mode (every caller is admin), which is for local use only and is announced at start.
 */
export const ROLES = ['dashboard', 'bot', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Auth {
  readonly open: boolean;
  /** The role of a key, or undefined for an unknown key. */
  roleOf(key: string | undefined): Role | undefined;
}

/** Parses `VOLRISK_API_KEYS` ("key:role,key:role"). */
export function parseApiKeys(spec: string): Auth {
  const keys = new Map<string, Role>();
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = part.lastIndexOf(':');
    const key = part.slice(0, i);
    const role = part.slice(i + 1) as Role;
    if (i < 1 || !ROLES.includes(role)) throw new Error(`VOLRISK_API_KEYS: "${part.replace(/^(.{4}).*(:.*)$/, '$1…$2')}" must be key:role with role one of ${ROLES.join(', ')}`);
    if (key.length < 16) throw new Error(`VOLRISK_API_KEYS: a key must be at least 16 characters (role ${role})`);
    keys.set(key, role);
  }
  const open = keys.size === 0;
  return { open, roleOf: (k) => (open ? 'admin' : k === undefined ? undefined : keys.get(k)) };
}

/** The key a request carries: `Authorization: Bearer <key>`, `x-api-key`, or `?key=` (browsers' WebSocket). */
export function keyFrom(headers: Record<string, string | string[] | undefined>, url: string): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim();
  const x = headers['x-api-key'];
  if (typeof x === 'string') return x;
  const q = url.indexOf('?');
  if (q >= 0) return new URLSearchParams(url.slice(q + 1)).get('key') ?? undefined;
  return undefined;
}
