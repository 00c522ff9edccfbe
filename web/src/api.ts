// The REST API with the signed-in token. The token lives in sessionStorage only (this tab), and
// travels in the Authorization header — never in a URL.
const KEY = 'carebroker.token';

export function token(): string | null {
  return sessionStorage.getItem(KEY);
}
export function setToken(t: string | null): void {
  if (t) sessionStorage.setItem(KEY, t);
  else sessionStorage.removeItem(KEY);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(detail || code);
  }
  /// The field a validation error names ("field 'person.name' must not be empty" → person.name).
  get field(): string | null {
    const m = /field '([^']+)'/.exec(this.detail);
    return m ? m[1] : null;
  }
}

export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  const t = token();
  if (t) headers['Authorization'] = `Bearer ${t}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  if (!res.ok) throw new ApiError(res.status, json?.error?.code ?? `http_${res.status}`, json?.error?.detail ?? text);
  return json as T;
}

/// A non-JSON answer (a CSV export) as a Blob, with the same token and the same errors as api().
export async function apiBlob(path: string): Promise<Blob> {
  const t = token();
  const res = await fetch(`/api/v1${path}`, { headers: t ? { Authorization: `Bearer ${t}` } : {} });
  if (res.ok) return await res.blob();
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  throw new ApiError(res.status, json?.error?.code ?? `http_${res.status}`, json?.error?.detail ?? text);
}

export interface Me {
  role: 'admin' | 'officer' | 'compliance' | 'provider';
  name: string;
  provider: string | null;
  provider_name?: string | null;
  locations: { location: string; name: string }[];
}
