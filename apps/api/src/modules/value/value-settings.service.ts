import type { DataSource, EntityManager } from "typeorm";
import {
  defaultValueSettings,
  validateValueSettings,
  type SettingsIssue,
  type ValueSettings,
} from "@valuetier/domain";
import { runInTransaction } from "../../db/transaction";
import { recordAudit, type Actor } from "../audit/audit.service";
import { ValueSettingsEntity } from "./value-settings.entity";

/** The settings with who changed them last (null while the defaults apply). */
export interface StoredValueSettings {
  settings: ValueSettings;
  updatedAt: Date | null;
  updatedBy: string | null;
}

export type UpdateValueSettingsResult =
  { ok: true; value: StoredValueSettings } | { ok: false; issues: SettingsIssue[] };

const SETTINGS_ID = 1;

function fromEntity(entity: ValueSettingsEntity): ValueSettings {
  return {
    model: entity.model as ValueSettings["model"],
    horizonMonths: entity.horizonMonths,
    monthlyDiscountRate: entity.monthlyDiscountRate,
    defaultMarginRate: entity.defaultMarginRate,
    cacSource: entity.cacSource as ValueSettings["cacSource"],
    fixedCacMinor: entity.fixedCacMinor,
    timeUnit: entity.timeUnit as ValueSettings["timeUnit"],
  };
}

/**
 * Reads and changes the value settings (one row). Until the first change the defaults apply,
 * with the installation's DEFAULT_MARGIN_RATE as the default margin rate.
 */
export class ValueSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly defaultMarginRate: string,
  ) {}

  async get(manager: EntityManager = this.dataSource.manager): Promise<StoredValueSettings> {
    const entity = await manager.findOneBy(ValueSettingsEntity, { id: SETTINGS_ID });
    if (!entity) {
      return {
        settings: defaultValueSettings(this.defaultMarginRate),
        updatedAt: null,
        updatedBy: null,
      };
    }
    return {
      settings: fromEntity(entity),
      updatedAt: entity.updatedAt,
      updatedBy: entity.updatedBy,
    };
  }

  /**
   * Applies a partial change, validated as a whole (e.g. a fixed CAC source needs an amount),
   * and audits it with the settings before and after, in one transaction. Setting the CAC
   * source to `channel` drops a fixed amount. Refused settings are returned with every issue
   * and nothing is written: a value out of range is never clamped into it.
   */
  async update(patch: Partial<ValueSettings>, actor: Actor): Promise<UpdateValueSettingsResult> {
    return runInTransaction(this.dataSource, async (manager) => {
      const before = await this.get(manager);
      const next: ValueSettings = { ...before.settings, ...patch };
      if (patch.cacSource === "channel" && patch.fixedCacMinor === undefined) {
        next.fixedCacMinor = null;
      }
      const issues = validateValueSettings(next);
      if (issues.length > 0) return { ok: false, issues };
      const updatedAt = new Date();
      await manager.save(ValueSettingsEntity, {
        id: SETTINGS_ID,
        ...next,
        updatedAt,
        updatedBy: actor.label.slice(0, 254),
      });
      await recordAudit(manager, actor, {
        action: "value.settings.update",
        entityType: "value_settings",
        entityId: SETTINGS_ID,
        before: before.settings,
        after: next,
      });
      return { ok: true, value: { settings: next, updatedAt, updatedBy: actor.label } };
    });
  }
}
