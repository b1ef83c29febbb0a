import type { Audience } from "@valuetier/domain";
import type { DataSource } from "typeorm";
import { driverOf } from "../../db/data-source";
import { encodeCursor, decodeCursor, type Page } from "../../db/keyset";
import { CustomerEntity } from "../customers/customer.entity";
import type { ValueQueryService } from "../value/value-query.service";
import { compileAudience, type CompileOptions } from "./compile-audience";

export interface AudienceServiceOptions {
  /** The store currency, in which money conditions are written. */
  currency: string;
  /** The clock relative dates count from (tests pass a fixed one). */
  now?: () => Date;
}

const MEMBERS_ORDER = "audience:id:ASC";

/**
 * Which customers an audience holds: its count, a page of its members and a sample. Every
 * "which customers" of the product (list filters, segments, tiers, exports, campaign audiences)
 * goes through here and {@link compileAudience}; nothing else builds a WHERE over customers.
 */
export class AudienceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly valueQueries: ValueQueryService,
    private readonly options: AudienceServiceOptions,
  ) {}

  /**
   * How many customers the audience holds now; with `runId`, with the value fields as that
   * scoring run left them (customer fields are always as they are now).
   */
  async count(
    audience: Audience,
    segments?: CompileOptions["segments"],
    runId?: number,
  ): Promise<number> {
    const { from, where, params } = await this.query(audience, segments, runId);
    const [row] = (await this.dataSource.query(
      `SELECT COUNT(*) AS n FROM ${from} WHERE ${where}`,
      params,
    )) as { n: number | string }[];
    return Number(row?.n ?? 0);
  }

  /**
   * Members in id order, a page at a time (keyset: resumes after the cursor's id); with
   * `runId`, value fields as that run left them (an export pins the run it started with).
   *
   * @throws {DomainError} INVALID_INPUT for a cursor of another list, or an audience that does
   *   not fit its fields.
   */
  async members(
    audience: Audience,
    first: number,
    after: string | null | undefined,
    segments?: CompileOptions["segments"],
    runId?: number,
  ): Promise<Page<CustomerEntity>> {
    const { from, where, params } = await this.query(audience, segments, runId);
    const afterId = after ? decodeCursor(after, MEMBERS_ORDER).id : 0;
    const ids = (
      (await this.dataSource.query(
        `SELECT c.id AS id FROM ${from} WHERE ${where} AND c.id > ? ORDER BY c.id LIMIT ?`,
        [...params, afterId, first + 1],
      )) as { id: number | string }[]
    ).map((row) => Number(row.id));
    const pageIds = ids.slice(0, first);
    const rows = pageIds.length
      ? await this.dataSource
          .getRepository(CustomerEntity)
          .createQueryBuilder("c")
          .where("c.id IN (:...ids)", { ids: pageIds })
          .orderBy("c.id", "ASC")
          .getMany()
      : [];
    return {
      rows,
      cursors: rows.map((row) => encodeCursor({ order: MEMBERS_ORDER, value: null, id: row.id })),
      hasNextPage: ids.length > first,
    };
  }

  /**
   * The FROM clause (customers `c`, values `v` joined only when read) and WHERE condition of an
   * audience, for statements that select its members in SQL (a campaign's INSERT … SELECT); with
   * `atRun`, value fields as that scoring run left them.
   */
  async query(
    audience: Audience,
    segments: CompileOptions["segments"],
    atRun?: number,
  ): Promise<{ from: string; where: string; params: (string | number)[] }> {
    const now = this.options.now?.() ?? new Date();
    const compiled = compileAudience(audience, {
      driver: driverOf(this.dataSource),
      currency: this.options.currency,
      today: now.toISOString().slice(0, 10),
      segments,
    });
    if (!compiled.usesValues) {
      return { from: "customers c", where: compiled.sql, params: compiled.params };
    }
    // Values of the current run; with none yet (run 0), every value field is NULL.
    const runId = atRun ?? (await this.valueQueries.currentRunId()) ?? 0;
    return {
      from: "customers c LEFT JOIN customer_values v ON v.run_id = ? AND v.customer_id = c.id",
      where: compiled.sql,
      params: [runId, ...compiled.params],
    };
  }
}
