import type { DataSource } from "typeorm";
import { problem, type Problem } from "../../errors/domain-error";
import { recordAudit, type Actor } from "../audit/audit.service";
import { API_KEY_SCOPES, isApiKeyScope } from "../auth/permissions";
import { cleanDisplayName } from "../../errors/display-name";
import { ApiKeyEntity } from "./api-key.entity";
import { newApiKeySecret } from "./api-key-secret";

const auditView = (key: ApiKeyEntity) => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  scopes: key.scopes.split(","),
  revoked: key.revokedAt !== null,
});

/** The `api_keys.name` column's length. */
export const API_KEY_NAME_MAX_LENGTH = 120;

export class ApiKeyService {
  constructor(private readonly dataSource: DataSource) {}

  list(): Promise<ApiKeyEntity[]> {
    return this.dataSource
      .getRepository(ApiKeyEntity)
      .find({ order: { createdAt: "DESC", id: "DESC" } });
  }

  /** Creates a key; the secret is returned here and never again. */
  async create(
    input: { name: string; scopes: string[] },
    actor: Actor,
  ): Promise<{ key: ApiKeyEntity; secret: string } | Problem[]> {
    const name = cleanDisplayName(input.name, "input.name", API_KEY_NAME_MAX_LENGTH);
    const errors: Problem[] = [];
    if (typeof name !== "string") errors.push(name);
    else if (!name)
      errors.push(
        problem("input.name", "REQUIRED", "name the key after who uses it, e.g. the storefront"),
      );
    input.scopes.forEach((scope, i) => {
      if (!isApiKeyScope(scope)) {
        errors.push(
          problem(
            `input.scopes.${i}`,
            "UNKNOWN_SCOPE",
            `"${scope}" is not a scope; use ${API_KEY_SCOPES.join(", ")}`,
          ),
        );
      }
    });
    if (errors.length || typeof name !== "string") return errors;
    const scopes = [...new Set(input.scopes)];
    const { secret, prefix, hash } = newApiKeySecret();
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(ApiKeyEntity);
      const key = await repo.save(
        repo.create({
          name,
          prefix,
          secretHash: hash,
          scopes: scopes.join(","),
          createdByUserId: actor.type === "user" ? actor.id : null,
          lastUsedAt: null,
          revokedAt: null,
        }),
      );
      await recordAudit(manager, actor, {
        action: "api_key.create",
        entityType: "api_key",
        entityId: key.id,
        after: auditView(key),
      });
      return { key, secret };
    });
  }

  async revoke(id: string, actor: Actor): Promise<ApiKeyEntity | Problem[]> {
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(ApiKeyEntity);
      const n = Number(id);
      const key = Number.isSafeInteger(n) ? await repo.findOne({ where: { id: n } }) : null;
      if (!key) return [problem("id", "NOT_FOUND", `no API key with id ${id}`)];
      if (key.revokedAt) return key;
      const before = auditView(key);
      key.revokedAt = new Date();
      await repo.save(key);
      await recordAudit(manager, actor, {
        action: "api_key.revoke",
        entityType: "api_key",
        entityId: key.id,
        before,
        after: auditView(key),
      });
      return key;
    });
  }
}
