import { once } from "node:events";
import express, { type Request, type Router } from "express";
import type { DataSource } from "typeorm";
import type { Services } from "../../composition";
import type { AppConfig } from "../../config";
import { runInTransaction } from "../../db/transaction";
import { recordAudit, type Actor } from "../audit/audit.service";
import { authenticate, AuthenticationError } from "../auth/authenticate";
import type { Permission } from "../auth/permissions";
import { audienceCsv, exportAudience, isClientError, type ExportRequest } from "./audience-export";

/** Signed-in people only: API keys never hold business:read. */
const REQUIRED: readonly Permission[] = ["customers:read", "business:read"];

const jsonError = (code: string, message: string, extra: Record<string, unknown> = {}) => ({
  errors: [{ message, extensions: { code, ...extra } }],
});

/** A query-string value as one string (first of repeated), or undefined. */
function one(value: unknown): string | undefined {
  if (Array.isArray(value)) return one(value[0]);
  return typeof value === "string" ? value : undefined;
}

/** A list parameter: repeated (`tierKeys=a&tierKeys=b`) or comma-separated (`tierKeys=a,b`). */
function list(value: unknown): string[] | undefined {
  const parts = (Array.isArray(value) ? value : [value])
    .filter((v): v is string => typeof v === "string")
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
  return parts.length > 0 ? parts : undefined;
}

function requestOf(req: Request): ExportRequest {
  const q = req.query as Record<string, unknown>;
  return {
    query: one(q.query),
    segmentId: one(q.segmentId),
    search: one(q.search),
    channels: list(q.channels),
    createdFrom: one(q.createdFrom),
    createdTo: one(q.createdTo),
    clvMin: one(q.clvMin),
    clvMax: one(q.clvMax),
    pAliveMin: one(q.pAliveMin),
    pAliveMax: one(q.pAliveMax),
    tierKeys: list(q.tierKeys),
    rfmGroups: list(q.rfmGroups),
    lifecycleStages: list(q.lifecycleStages),
    churnRisks: list(q.churnRisks),
  };
}

/**
 * GET /export/customers.csv: any audience (the customer list's filters, a saved segment, a
 * segment-language query) as CSV, streamed a page at a time, with one audit entry "audience.export" holding the
 * audience and the number of rows once the stream is complete.
 */
export function exportRouter(
  dataSource: DataSource,
  services: Services,
  config: Pick<AppConfig, "jwtSecret" | "defaultCurrency">,
  pageSize = 500,
): Router {
  const router = express.Router();
  router.get("/customers.csv", async (req, res, next) => {
    let actor: Actor;
    try {
      const principal = await authenticate(dataSource, req.headers.authorization, config.jwtSecret);
      if (!principal) {
        res.status(401).json(jsonError("UNAUTHENTICATED", "sign in to export customers"));
        return;
      }
      const missing = REQUIRED.filter((p) => !principal.permissions.has(p));
      if (missing.length > 0) {
        res
          .status(403)
          .json(
            jsonError(
              "FORBIDDEN",
              `exporting customers needs the permissions ${missing.join(" and ")}`,
            ),
          );
        return;
      }
      actor =
        principal.kind === "user"
          ? { type: "user", id: principal.userId, label: principal.email }
          : {
              type: "api_key",
              id: principal.apiKeyId,
              label: `${principal.prefix} (${principal.name})`,
            };
    } catch (error) {
      if (error instanceof AuthenticationError) {
        res.status(401).json(jsonError("UNAUTHENTICATED", error.message));
        return;
      }
      next(error);
      return;
    }

    const currency = config.defaultCurrency;
    let rows = 0;
    let audience;
    try {
      audience = exportAudience(requestOf(req), currency);
      if (!audience.ok) {
        res.status(400).json(
          jsonError("INVALID_QUERY", `query: ${audience.error.message}`, {
            position: audience.error,
          }),
        );
        return;
      }
      const chunks = audienceCsv(services, audience.audience, currency, pageSize);
      // The first chunk (the header) comes after the audience compiled, so a bad condition is
      // still answered with a 400 instead of a broken download.
      const head = await chunks.next();
      res.status(200);
      res.setHeader("Content-Type", "text/csv; charset=utf-8");
      res.setHeader("Content-Disposition", 'attachment; filename="customers.csv"');
      res.setHeader("Cache-Control", "no-store");
      if (!head.done) res.write(head.value.csv);
      for await (const chunk of chunks) {
        rows += chunk.rows;
        if (!res.write(chunk.csv)) await once(res, "drain");
        if (res.destroyed) return;
      }
    } catch (error) {
      if (res.headersSent) {
        // Part of the file went out: cut the connection so the download shows as failed
        // instead of a short file that looks complete.
        res.destroy(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (isClientError(error)) {
        res.status(400).json(jsonError("INVALID_INPUT", error.message, { field: error.field }));
        return;
      }
      next(error);
      return;
    }
    await runInTransaction(dataSource, (manager) =>
      recordAudit(manager, actor, {
        action: "audience.export",
        entityType: "customer",
        after: { audience: audience.ok ? audience.described : null, rows },
      }),
    );
    res.end();
  });
  return router;
}
