import type { DataSource } from "typeorm";
import { chunks } from "../../db/sql-dialect";
import { toSqlDateTime } from "../../db/sql-values";
import { runInTransaction } from "../../db/transaction";
import type { LoyaltyService } from "../loyalty/loyalty.service";
import { emitEvent, hasSubscribers } from "./emit-event";

/** How far ahead customers are told that points expire, in days (the account view's default). */
export const EXPIRY_NOTICE_DAYS = 30;

/**
 * Emits `points.expiring_soon` for every customer with open points expiring within
 * `withinDays` of `now`: one event per customer and expiry instant (the key), so running it
 * every day tells each customer once per expiry. The points and balance are the loyalty
 * module's account view (its public `accounts`), read and emitted 200 customers at a time.
 *
 * @returns the events written (0 when no enabled endpoint subscribes).
 */
export async function emitPointsExpiringSoon(
  dataSource: DataSource,
  loyalty: Pick<LoyaltyService, "accounts">,
  now: Date,
  withinDays = EXPIRY_NOTICE_DAYS,
): Promise<number> {
  if (!(await hasSubscribers(dataSource.manager, "points.expiring_soon"))) return 0;
  const horizon = new Date(now.getTime() + withinDays * 86_400_000);
  const rows: { account_id: number | string; external_id: string }[] = await dataSource.query(
    "SELECT DISTINCT l.account_id, c.external_id FROM loyalty_lots l JOIN customers c ON c.id = l.account_id " +
      "WHERE l.is_open = 1 AND l.remaining > 0 AND l.kind <> 'debt' AND l.expires_at > ? AND l.expires_at <= ? " +
      "ORDER BY l.account_id",
    [toSqlDateTime(now), toSqlDateTime(horizon)],
  );
  const externalIds = new Map(rows.map((r) => [Number(r.account_id), r.external_id]));
  let written = 0;
  for (const part of chunks([...externalIds.keys()], 200)) {
    const views = await loyalty.accounts(part, withinDays);
    written += await runInTransaction(dataSource, async (manager) => {
      let n = 0;
      for (const id of part) {
        const view = views.get(id);
        for (const soon of view?.expiringSoon ?? []) {
          if (soon.expiresAt <= now || soon.points <= 0) continue;
          const expiresAt = soon.expiresAt.toISOString();
          const emitted = await emitEvent(manager, {
            type: "points.expiring_soon",
            key: `customer:${id}:expires:${expiresAt}`,
            payload: {
              customerId: externalIds.get(id)!,
              points: soon.points,
              expiresAt,
              balance: view!.balance,
            },
          });
          if (emitted) n++;
        }
      }
      return n;
    });
  }
  return written;
}
