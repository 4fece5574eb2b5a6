// oidc-provider's storage for one provider instance: a Map with expiry and the secondary indexes the
// provider looks things up by (session uid, user code, grant id). One store per running double, never
// shared between doubles in one process (oidc-provider's own quick-start adapter is process-wide).
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  /** Epoch ms; Infinity for no expiry. */
  expiresAt: number;
}

interface Store {
  entries: Map<string, Entry>;
  sessionByUid: Map<string, string>;
  byUserCode: Map<string, string>;
  /** grantId -> keys of the tokens issued under it. */
  byGrant: Map<string, Set<string>>;
}

const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

class MapAdapter implements Adapter {
  readonly #model: string;
  readonly #store: Store;

  constructor(model: string, store: Store) {
    this.#model = model;
    this.#store = store;
  }

  #key(id: string): string {
    return `${this.#model}:${id}`;
  }

  #get(key: string): AdapterPayload | undefined {
    const entry = this.#store.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#store.entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const key = this.#key(id);
    const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity;
    this.#store.entries.set(key, { payload, expiresAt });
    if (this.#model === 'Session' && payload.uid) this.#store.sessionByUid.set(payload.uid, id);
    if (payload.userCode) this.#store.byUserCode.set(payload.userCode, id);
    if (GRANTABLE.has(this.#model) && payload.grantId) {
      const keys = this.#store.byGrant.get(payload.grantId) ?? new Set<string>();
      keys.add(key);
      this.#store.byGrant.set(payload.grantId, keys);
    }
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.#get(this.#key(id));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = this.#store.sessionByUid.get(uid);
    return id === undefined ? undefined : this.find(id);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const id = this.#store.byUserCode.get(userCode);
    return id === undefined ? undefined : this.find(id);
  }

  async consume(id: string): Promise<void> {
    const payload = this.#get(this.#key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.#store.entries.delete(this.#key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const key of this.#store.byGrant.get(grantId) ?? []) this.#store.entries.delete(key);
    this.#store.byGrant.delete(grantId);
  }
}

export function createAdapterFactory(): AdapterFactory {
  const store: Store = { entries: new Map(), sessionByUid: new Map(), byUserCode: new Map(), byGrant: new Map() };
  return (model: string) => new MapAdapter(model, store);
}
