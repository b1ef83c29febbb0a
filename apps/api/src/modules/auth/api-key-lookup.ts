import type { DataSource } from "typeorm";
import { sqlDialect } from "../../db/sql-dialect";
import { fromSqlDateTime } from "../../db/sql-values";

/** An API key row as authentication needs it. */
export interface StoredApiKey {
  id: number;
  name: string;
  prefix: string;
  secretHash: string;
  /** Scopes joined with ','. */
  scopes: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

interface Waiting {
  resolve: (key: StoredApiKey | null) => void;
  reject: (error: unknown) => void;
}

/** Most prefixes in one SELECT. */
const PREFIXES_PER_QUERY = 500;

/**
 * Finds API keys by their prefix for authentication. Every request signed with a key needs this
 * row, so under load it is the most frequent query of all: lookups asked for in the same turn of
 * the event loop (requests that arrived together) share one `SELECT … WHERE prefix IN (…)`.
 *
 * Each lookup still reads the row after its request arrived, so a key revoked before that is
 * refused, exactly as with a query of its own; nothing is cached between turns.
 */
export class ApiKeyLookup {
  private waiting = new Map<string, Waiting[]>();

  constructor(private readonly dataSource: DataSource) {}

  find(prefix: string): Promise<StoredApiKey | null> {
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) setImmediate(() => void this.flush());
      const list = this.waiting.get(prefix);
      if (list) list.push({ resolve, reject });
      else this.waiting.set(prefix, [{ resolve, reject }]);
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = new Map();
    const prefixes = [...batch.keys()];
    for (let i = 0; i < prefixes.length; i += PREFIXES_PER_QUERY) {
      const part = prefixes.slice(i, i + PREFIXES_PER_QUERY);
      try {
        const found = await this.select(part);
        for (const prefix of part) {
          for (const w of batch.get(prefix)!) w.resolve(found.get(prefix) ?? null);
        }
      } catch (error) {
        for (const prefix of part) for (const w of batch.get(prefix)!) w.reject(error);
      }
    }
  }

  private async select(prefixes: readonly string[]): Promise<Map<string, StoredApiKey>> {
    const list = sqlDialect(this.dataSource).inList(prefixes);
    const rows: {
      id: number | string;
      name: string;
      prefix: string;
      secret_hash: string;
      scopes: string;
      last_used_at: Date | string | null;
      revoked_at: Date | string | null;
    }[] = await this.dataSource.query(
      "SELECT id, name, prefix, secret_hash, scopes, last_used_at, revoked_at FROM api_keys " +
        `WHERE prefix IN (${list.sql})`,
      list.params,
    );
    return new Map(
      rows.map((row) => [
        row.prefix,
        {
          id: Number(row.id),
          name: row.name,
          prefix: row.prefix,
          secretHash: row.secret_hash,
          scopes: row.scopes,
          lastUsedAt: fromSqlDateTime(row.last_used_at),
          revokedAt: fromSqlDateTime(row.revoked_at),
        },
      ]),
    );
  }
}

const lookups = new WeakMap<DataSource, ApiKeyLookup>();

/** The lookup shared by every request on `dataSource`. */
export function apiKeyLookup(dataSource: DataSource): ApiKeyLookup {
  let lookup = lookups.get(dataSource);
  if (!lookup) {
    lookup = new ApiKeyLookup(dataSource);
    lookups.set(dataSource, lookup);
  }
  return lookup;
}
