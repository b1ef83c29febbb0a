import type { DataSource } from "typeorm";
import { ApiKeyEntity } from "../api-keys/api-key.entity";
import { apiKeyMatches, apiKeyPrefix, looksLikeApiKey } from "../api-keys/api-key-secret";
import { apiKeyLookup } from "./api-key-lookup";
import { ROLE_PERMISSIONS, isApiKeyScope, type Permission } from "./permissions";
import type { Principal } from "./principal";
import { findLiveSession } from "./sessions";
import { verifySessionToken } from "./tokens";

/** last_used_at is written at most once a minute per key, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export class AuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuthenticationError";
  }
}

/**
 * Resolves the bearer credential of a request into a principal: null for anonymous requests,
 * an AuthenticationError for a credential that is present but not valid (so the caller learns
 * that their key is wrong instead of being treated as anonymous).
 */
export async function authenticate(
  dataSource: DataSource,
  authorization: string | undefined,
  jwtSecret: string,
): Promise<Principal | null> {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match)
    throw new AuthenticationError('Authorization header must be "Bearer <token or API key>"');
  const token = match[1]!;

  if (looksLikeApiKey(token)) {
    const prefix = apiKeyPrefix(token);
    const key = prefix ? await apiKeyLookup(dataSource).find(prefix) : null;
    if (!key || !apiKeyMatches(token, key.secretHash))
      throw new AuthenticationError("API key is not valid");
    if (key.revokedAt) throw new AuthenticationError(`API key ${key.prefix} has been revoked`);
    const now = Date.now();
    if (!key.lastUsedAt || now - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await dataSource
        .getRepository(ApiKeyEntity)
        .update({ id: key.id }, { lastUsedAt: new Date(now) });
    }
    const permissions = new Set<Permission>(key.scopes.split(",").filter(isApiKeyScope));
    return { kind: "api_key", apiKeyId: key.id, name: key.name, prefix: key.prefix, permissions };
  }

  const claims = verifySessionToken(token, jwtSecret);
  if (!claims)
    throw new AuthenticationError("session token is not valid or has expired: log in again");
  const userId = Number(claims.sub);
  if (!Number.isSafeInteger(userId))
    throw new AuthenticationError("session token is not valid: log in again");
  const session = await findLiveSession(dataSource, claims.sid, userId);
  if ("refused" in session) throw new AuthenticationError(session.refused);
  // The role is read from the database, not the token, so a role change applies at once.
  return {
    kind: "user",
    userId: session.userId,
    sessionId: session.sessionId,
    email: session.email,
    role: session.role,
    permissions: new Set(ROLE_PERMISSIONS[session.role]),
  };
}
