import {
  applyTierChange,
  assignTiers,
  isQualifyingPolicy,
  nextTierGap,
  DEFAULT_LIFECYCLE_SETTINGS,
  DEFAULT_RFM_GROUP_RULES,
  DEFAULT_TIER_POLICY,
  DEFAULT_TIERS,
  validateLifecycleSettings,
  validateRfmGroupRules,
  type LifecycleSettings,
  type RfmGroupRule,
  validateTierPolicy,
  type MinorUnits,
  type TierDefinition,
  type TierGap,
  type TierPolicy,
  type TierState,
} from "@valuetier/domain";
import type { DataSource, EntityManager } from "typeorm";
import { forUpdate } from "../../db/locks";
import { toSqlDateTime } from "../../db/sql-values";
import { isDuplicateKeyError, sqlDialect } from "../../db/sql-dialect";
import { runInTransaction } from "../../db/transaction";
import { cleanDisplayName } from "../../errors/display-name";
import { problem, type Problem } from "../../errors/domain-error";
import { recordAudit, type Actor } from "../audit/audit.service";
import type { ValueQueryService } from "../value/value-query.service";
import { TierEntity, SegmentationSettingsEntity } from "./tier.entity";
import { forgetTierPolicy, readQualifyingFigures } from "./tier-qualification";

/** How the scoring run groups and stages customers, besides tiers. */
export interface SegmentationRules {
  rfmRules: RfmGroupRule[];
  lifecycle: LifecycleSettings;
  clusters: number;
}

/** K-Means clusters by default, and at most. */
export const DEFAULT_CLUSTERS = 4;
const MAX_CLUSTERS = 12;

/** The default grace before a downgrade takes effect. */
export const DEFAULT_GRACE_DAYS = 30;
const MAX_GRACE_DAYS = 3650;
const SETTINGS_ID = 1;

export interface TierSettings {
  policy: TierPolicy;
  graceDays: number;
}

export interface TierCount {
  key: string;
  count: number;
}

/** What a policy would have done over the latest runs. */
export interface TierBacktest {
  /** Customers each tier would hold now (after the latest run, grace applied). */
  tiers: TierCount[];
  /** Per run, oldest first: moves between the tiers held before and after it. */
  runs: { runId: number; scoredAt: Date | null; upgrades: number; downgrades: number }[];
}

/**
 * Value tiers as data: their definitions, the policy that places customers in them and the
 * grace before a downgrade; counts of members, and a backtest of a policy over past runs. The
 * scoring run applies the policy (tier-scoring.ts).
 */
export class TierService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly valueQueries: ValueQueryService,
  ) {}

  /** The tiers, best first (the four defaults on first use). */
  async list(): Promise<TierEntity[]> {
    await this.ensureDefaults();
    return this.dataSource.getRepository(TierEntity).find({ order: { rank: "ASC" } });
  }

  async settings(): Promise<TierSettings> {
    return tierSettingsOf(await this.settingsRow());
  }

  /** Everything a scoring run segments by, from one read of the settings row. */
  async scoringSettings(): Promise<TierSettings & SegmentationRules> {
    const row = await this.settingsRow();
    return { ...tierSettingsOf(row), ...segmentationRulesOf(row) };
  }

  private async settingsRow(): Promise<SegmentationSettingsEntity> {
    await this.ensureDefaults();
    return this.dataSource
      .getRepository(SegmentationSettingsEntity)
      .findOneByOrFail({ id: SETTINGS_ID });
  }

  /** Members of each tier in the current scoring run. */
  async counts(): Promise<Map<string, number>> {
    const runId = (await this.valueQueries.currentRunId()) ?? 0;
    const rows: { tier_key: string | null; n: number | string }[] = await this.dataSource.query(
      "SELECT tier_key, COUNT(*) AS n FROM customer_values WHERE run_id = ? AND tier_key IS NOT NULL GROUP BY tier_key",
      [runId],
    );
    return new Map(rows.map((r) => [r.tier_key!, Number(r.n)]));
  }

  async create(
    input: { key: string; name: string; benefits?: string | null },
    actor: Actor,
  ): Promise<TierEntity | Problem[]> {
    await this.ensureDefaults();
    const problems = [...checkKey(input.key), ...checkName(input.name)];
    if (problems.length > 0) return problems;
    return runInTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(TierEntity);
      const tiers = await forUpdate(repo.createQueryBuilder("t")).getMany();
      if (tiers.some((t) => t.key === input.key)) {
        return [problem("input.key", "KEY_TAKEN", `a tier with key ${input.key} already exists`)];
      }
      const rank = Math.max(0, ...tiers.map((t) => t.rank)) + 1;
      const tier = await repo.save(
        repo.create({
          key: input.key,
          name: input.name.trim(),
          rank,
          benefits: input.benefits?.trim() ?? "",
        }),
      );
      await recordAudit(manager, actor, {
        action: "tier.create",
        entityType: "tier",
        entityId: tier.key,
        after: { name: tier.name, rank: tier.rank, benefits: tier.benefits },
      });
      return tier;
    }).finally(() => forgetTierPolicy(this.dataSource));
  }

  async update(
    key: string,
    input: { name?: string | null; benefits?: string | null },
    actor: Actor,
  ): Promise<TierEntity | Problem[]> {
    await this.ensureDefaults();
    const problems = input.name == null ? [] : checkName(input.name);
    if (problems.length > 0) return problems;
    return runInTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(TierEntity);
      const tier = await forUpdate(repo.createQueryBuilder("t"))
        .where("t.key = :key", { key })
        .getOne();
      if (!tier) return [problem("input.key", "NOT_FOUND", `no tier with key ${key}`)];
      const before = { name: tier.name, benefits: tier.benefits };
      if (input.name != null) tier.name = input.name.trim();
      if (input.benefits != null) tier.benefits = input.benefits.trim();
      const saved = await repo.save(tier);
      await recordAudit(manager, actor, {
        action: "tier.update",
        entityType: "tier",
        entityId: key,
        before,
        after: { name: saved.name, benefits: saved.benefits },
      });
      return saved;
    });
  }

  /** Gives the tiers ranks 1, 2, … in the order of `keys`, which must name every tier once. */
  async reorder(keys: string[], actor: Actor): Promise<TierEntity[] | Problem[]> {
    await this.ensureDefaults();
    return runInTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(TierEntity);
      const tiers = await forUpdate(repo.createQueryBuilder("t")).getMany();
      const known = new Set(tiers.map((t) => t.key));
      if (
        keys.length !== known.size ||
        new Set(keys).size !== keys.length ||
        !keys.every((k) => known.has(k))
      ) {
        return [
          problem(
            "keys",
            "NOT_A_PERMUTATION",
            `name every tier exactly once (${[...known].join(", ")})`,
          ),
        ];
      }
      const before = Object.fromEntries(tiers.map((t) => [t.key, t.rank]));
      // Ranks are unique: move every tier out of the way first, then to its place.
      for (const tier of tiers) await repo.update({ key: tier.key }, { rank: -tier.rank });
      for (const [i, key] of keys.entries()) await repo.update({ key }, { rank: i + 1 });
      await recordAudit(manager, actor, {
        action: "tier.reorder",
        entityType: "tier",
        before,
        after: Object.fromEntries(keys.map((k, i) => [k, i + 1])),
      });
      return repo.find({ order: { rank: "ASC" } });
    }).finally(() => forgetTierPolicy(this.dataSource));
  }

  /**
   * Deletes a tier; its members (in the current run and in the held tiers) move to
   * `moveMembersTo`. A tier the policy names cannot be deleted: change the policy first.
   */
  async delete(key: string, moveMembersTo: string, actor: Actor): Promise<string | Problem[]> {
    await this.ensureDefaults();
    return runInTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(TierEntity);
      const tiers = await forUpdate(repo.createQueryBuilder("t")).getMany();
      if (!tiers.some((t) => t.key === key)) {
        return [problem("key", "NOT_FOUND", `no tier with key ${key}`)];
      }
      if (moveMembersTo === key || !tiers.some((t) => t.key === moveMembersTo)) {
        return [
          problem("moveMembersTo", "NOT_FOUND", `members must move to another existing tier`),
        ];
      }
      const settings = await this.readSettings(manager);
      if (policyTiers(settings.policy).has(key)) {
        return [
          problem(
            "key",
            "TIER_IN_POLICY",
            `the tier policy places customers in ${key}: change the policy first`,
          ),
        ];
      }
      const runId = (await this.valueQueries.currentRunId()) ?? 0;
      // The current run's snapshot holds each customer's tier and the state the next run
      // continues from: members move, and a downgrade pending to the deleted tier is dropped.
      await manager.query(
        "UPDATE customer_values SET tier_key = ?, tier_since = ? WHERE run_id = ? AND tier_key = ?",
        [moveMembersTo, toSqlDateTime(new Date()), runId, key],
      );
      await manager.query(
        "UPDATE customer_values SET tier_pending = NULL, tier_below_since = NULL WHERE run_id = ? AND tier_pending = ?",
        [runId, key],
      );
      await repo.delete({ key });
      await recordAudit(manager, actor, {
        action: "tier.delete",
        entityType: "tier",
        entityId: key,
        after: { movedTo: moveMembersTo },
      });
      return key;
    }).finally(() => forgetTierPolicy(this.dataSource));
  }

  /** Saves the policy and grace after checking them against the tiers (coded problems). */
  async updateSettings(settings: TierSettings, actor: Actor): Promise<TierSettings | Problem[]> {
    const tiers = await this.list();
    const problems = this.check(tiers, settings);
    if (problems.length > 0) return problems;
    return runInTransaction(this.dataSource, async (manager) => {
      const before = await this.readSettings(manager);
      await manager.getRepository(SegmentationSettingsEntity).update(
        { id: SETTINGS_ID },
        {
          policyJson: JSON.stringify(settings.policy, storeBigints),
          graceDays: settings.graceDays,
          updatedBy: actor.label.slice(0, 254),
        },
      );
      await recordAudit(manager, actor, {
        action: "tier.policy",
        entityType: "segmentation_settings",
        before: JSON.parse(JSON.stringify(before, storeBigints)),
        after: JSON.parse(JSON.stringify(settings, storeBigints)),
      });
      return settings;
    }).finally(() => forgetTierPolicy(this.dataSource));
  }

  /** The RFM group rules, lifecycle thresholds and clusters the next scoring run uses. */
  async segmentationSettings(): Promise<SegmentationRules> {
    return segmentationRulesOf(await this.settingsRow());
  }

  /**
   * Saves the RFM group rules (every cell of the 5 × 5 grid in exactly one group), the
   * lifecycle thresholds and the number of clusters, after checking them (coded problems).
   */
  async updateSegmentationSettings(
    rules: SegmentationRules,
    actor: Actor,
  ): Promise<SegmentationRules | Problem[]> {
    await this.ensureDefaults();
    const problems: Problem[] = [
      ...validateRfmGroupRules(rules.rfmRules).map((i) =>
        problem(`input.rfmRules.${i.field}`, i.code, i.message),
      ),
      ...validateLifecycleSettings(rules.lifecycle).map((i) =>
        problem(`input.lifecycle.${i.field}`, i.code, i.message),
      ),
    ];
    if (
      !Number.isSafeInteger(rules.clusters) ||
      rules.clusters < 1 ||
      rules.clusters > MAX_CLUSTERS
    ) {
      problems.push(
        problem(
          "input.clusters",
          "CLUSTERS_OUT_OF_RANGE",
          `clusters must be a whole number from 1 to ${MAX_CLUSTERS}`,
        ),
      );
    }
    if (problems.length > 0) return problems;
    return runInTransaction(this.dataSource, async (manager) => {
      const before = await manager
        .getRepository(SegmentationSettingsEntity)
        .findOneByOrFail({ id: SETTINGS_ID });
      await manager.getRepository(SegmentationSettingsEntity).update(
        { id: SETTINGS_ID },
        {
          rfmRulesJson: JSON.stringify(rules.rfmRules),
          lifecycleJson: JSON.stringify(rules.lifecycle),
          clusters: rules.clusters,
          updatedBy: actor.label.slice(0, 254),
        },
      );
      await recordAudit(manager, actor, {
        action: "segmentation.settings",
        entityType: "segmentation_settings",
        before: {
          rfmRules: JSON.parse(before.rfmRulesJson),
          lifecycle: JSON.parse(before.lifecycleJson),
          clusters: before.clusters,
        },
        after: rules,
      });
      return rules;
    });
  }

  /** Problems of a policy and grace against the tiers, with input paths. */
  check(tiers: readonly TierDefinition[], settings: TierSettings): Problem[] {
    const problems: Problem[] = validateTierPolicy(tiers, settings.policy).map((issue) =>
      problem(`input.policy.${issue.field}`, issue.code, issue.message),
    );
    if (
      !Number.isSafeInteger(settings.graceDays) ||
      settings.graceDays < 0 ||
      settings.graceDays > MAX_GRACE_DAYS
    ) {
      problems.push(
        problem(
          "input.graceDays",
          "GRACE_OUT_OF_RANGE",
          `the grace period is a whole number of days from 0 to ${MAX_GRACE_DAYS}`,
        ),
      );
    }
    return problems;
  }

  /**
   * What `settings` would have done over the latest `runs` succeeded scoring runs: each run's
   * customers tiered by the policy from that run's values, the grace applied run after run
   * (at each run's end), and the moves counted. Spend and points thresholds use today's figures
   * (runs do not keep spend or points): lifetime spend totals, or the qualifying spend or points
   * in the policy's window ending now.
   *
   * @param currency the store currency (qualifying spend counts orders in it).
   */
  async backtest(
    settings: TierSettings,
    runs: number,
    currency: string,
    now: Date = new Date(),
  ): Promise<TierBacktest | Problem[]> {
    const tiers = await this.list();
    const problems = this.check(tiers, settings);
    if (problems.length > 0) return problems;
    const ranks = new Map(tiers.map((t) => [t.key, t.rank]));
    const latest = (await this.valueQueries.latestSucceededRuns(runs)).reverse();
    const { policy } = settings;
    let spent = new Map<number, MinorUnits>();
    let points = new Map<number, MinorUnits>();
    if (policy.kind === "spend_threshold" && policy.windowMonths == null) {
      const rows: { id: number | string; total_spent_minor: number | string }[] =
        await this.dataSource.query("SELECT id, total_spent_minor FROM customers");
      for (const row of rows) spent.set(Number(row.id), Number(row.total_spent_minor));
    } else if (isQualifyingPolicy(policy)) {
      const figures = await readQualifyingFigures(
        this.dataSource,
        sqlDialect(this.dataSource),
        policy,
        now,
        currency,
      );
      if (policy.kind === "spend_threshold") spent = figures;
      else points = figures;
    }
    const held = new Map<number, TierState>();
    const result: TierBacktest = { tiers: [], runs: [] };
    for (const run of latest) {
      const rows: {
        customer_id: number | string;
        clv_minor: number | string | null;
        cluster: number | string | null;
      }[] = await this.dataSource.query(
        "SELECT customer_id, clv_minor, cluster FROM customer_values WHERE run_id = ? ORDER BY customer_id",
        [run.id],
      );
      const computed = assignTiers(
        rows.map((r) => ({
          clvMinor: r.clv_minor === null ? null : Number(r.clv_minor),
          totalSpentMinor: spent.get(Number(r.customer_id)) ?? 0,
          points: points.get(Number(r.customer_id)) ?? 0,
          clusterRank: r.cluster === null ? null : Number(r.cluster) + 1,
        })),
        settings.policy,
        tiers,
      );
      const at = run.finishedAt ?? run.createdAt;
      let upgrades = 0;
      let downgrades = 0;
      rows.forEach((row, i) => {
        const id = Number(row.customer_id);
        const before = held.get(id) ?? null;
        const after = applyTierChange(before, computed[i]!, at, {
          graceDays: settings.graceDays,
          tiers,
        });
        if (before && before.tier !== after.tier) {
          if (ranks.get(after.tier)! < ranks.get(before.tier)!) upgrades++;
          else downgrades++;
        }
        held.set(id, after);
      });
      result.runs.push({ runId: run.id, scoredAt: run.finishedAt, upgrades, downgrades });
    }
    const counts = new Map(tiers.map((t) => [t.key, 0]));
    for (const state of held.values()) counts.set(state.tier, (counts.get(state.tier) ?? 0) + 1);
    result.tiers = tiers.map((t) => ({ key: t.key, count: counts.get(t.key) ?? 0 }));
    return result;
  }

  /**
   * Each customer's next tier and what it takes ({@link nextTierGap}): under a points or spend
   * policy, one grouped query adds up the listed customers' qualifying points or spend now.
   *
   * @param customers each customer's id and the tier they hold (null before their first tier:
   *   no next tier is named then).
   * @param currency the store currency (qualifying spend counts orders in it).
   * @returns the gap by customer id; null at the top or without a tier.
   */
  async nextTiers(
    customers: readonly { customerId: number; tierKey: string | null }[],
    currency: string,
    now: Date = new Date(),
  ): Promise<Map<number, TierGap | null>> {
    const gaps = new Map<number, TierGap | null>();
    const tiered = customers.filter((c) => c.tierKey !== null);
    for (const c of customers) gaps.set(c.customerId, null);
    if (tiered.length === 0) return gaps;
    const tiers = await this.list();
    const { policy } = await this.settings();
    if (validateTierPolicy(tiers, policy).length > 0) return gaps;
    const figures = isQualifyingPolicy(policy)
      ? await readQualifyingFigures(
          this.dataSource,
          sqlDialect(this.dataSource),
          policy,
          now,
          currency,
          tiered.map((c) => c.customerId),
        )
      : new Map<number, MinorUnits>();
    for (const c of tiered) {
      const figure = figures.get(c.customerId) ?? 0;
      gaps.set(
        c.customerId,
        nextTierGap(policy, tiers, { tier: c.tierKey, points: figure, spentMinor: figure }),
      );
    }
    return gaps;
  }

  /** The four default tiers and policy, the first time tiers are used (once per service). */
  ensureDefaults(): Promise<void> {
    this.defaults ??= this.createDefaults().catch((error: unknown) => {
      this.defaults = null;
      throw error;
    });
    return this.defaults;
  }

  private defaults: Promise<void> | null = null;

  private async createDefaults(): Promise<void> {
    const existing = await this.dataSource
      .getRepository(SegmentationSettingsEntity)
      .countBy({ id: SETTINGS_ID });
    if (existing > 0) return;
    try {
      await runInTransaction(this.dataSource, async (manager) => {
        if (
          (await manager.getRepository(SegmentationSettingsEntity).countBy({ id: SETTINGS_ID })) > 0
        )
          return;
        await manager.getRepository(SegmentationSettingsEntity).insert({
          id: SETTINGS_ID,
          policyJson: JSON.stringify(DEFAULT_TIER_POLICY),
          graceDays: DEFAULT_GRACE_DAYS,
          rfmRulesJson: JSON.stringify(DEFAULT_RFM_GROUP_RULES),
          lifecycleJson: JSON.stringify(DEFAULT_LIFECYCLE_SETTINGS),
          clusters: DEFAULT_CLUSTERS,
          updatedBy: "system",
        });
        if ((await manager.getRepository(TierEntity).count()) === 0) {
          await manager.getRepository(TierEntity).insert(DEFAULT_TIERS.map((t) => ({ ...t })));
        }
      });
    } catch (error) {
      // Another process created them at the same moment: theirs stand.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  private async readSettings(manager: EntityManager): Promise<TierSettings> {
    return tierSettingsOf(
      await manager.getRepository(SegmentationSettingsEntity).findOneByOrFail({ id: SETTINGS_ID }),
    );
  }
}

function tierSettingsOf(row: SegmentationSettingsEntity): TierSettings {
  return { policy: JSON.parse(row.policyJson) as TierPolicy, graceDays: row.graceDays };
}

function segmentationRulesOf(row: SegmentationSettingsEntity): SegmentationRules {
  return {
    rfmRules: JSON.parse(row.rfmRulesJson) as RfmGroupRule[],
    lifecycle: JSON.parse(row.lifecycleJson) as LifecycleSettings,
    clusters: row.clusters,
  };
}

/** Every tier key a policy places customers in. */
function policyTiers(policy: TierPolicy): Set<string> {
  const keys = new Set<string>([policy.otherwise]);
  if (policy.kind === "clv_percentile") policy.bands.forEach((b) => keys.add(b.tier));
  else if (policy.kind === "cluster_rank") policy.tiers.forEach((t) => keys.add(t));
  else policy.thresholds.forEach((t) => keys.add(t.tier));
  return keys;
}

function checkKey(key: string): Problem[] {
  return /^[a-z][a-z0-9_]{0,39}$/.test(key)
    ? []
    : [
        problem(
          "input.key",
          "TIER_KEY_INVALID",
          "the key must be 1 to 40 lowercase letters, digits or _ starting with a letter",
        ),
      ];
}

function checkName(name: string): Problem[] {
  const cleaned = cleanDisplayName(name, "input.name", 120);
  if (typeof cleaned !== "string") return [cleaned];
  return cleaned === "" ? [problem("input.name", "REQUIRED", "a tier needs a name")] : [];
}

/** JSON has no bigint: minor units are safe integers in stored policies. */
function storeBigints(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? Number(value) : value;
}
