import {
  customerStatusWords,
  type ChurnRisk,
  type LifecycleStage,
  type ValueSettings,
} from "@valuetier/domain";
import { money } from "../../graphql/money";
import type { CustomerValueNode } from "./customer-value.types";
import type { BgNbdRecord, FittedModelRecord } from "./fitted-model-record";
import type { BgNbdFitResult, FittedValueModel } from "./fitted-model.types";
import type { ScoringRunEntity } from "./scoring-run.entity";
import type { ScoringRunNode } from "./scoring-run.types";
import { cacSourceGql, statusGql, timeUnitGql, valueModelGql } from "./value-enums";
import type { StoredValueSettings } from "./value-settings.service";
import type { ValueSettingsNode } from "./value-settings.types";
import type { CustomerValueRecord } from "./value-query.service";

const dayStart = (isoDay: string) => new Date(`${isoDay}T00:00:00.000Z`);

/** Settings → GraphQL; `currency` is the store currency (the fixed CAC is in it). */
export function toValueSettingsNode(
  stored: StoredValueSettings,
  currency: string,
): ValueSettingsNode {
  const s = stored.settings;
  return {
    model: valueModelGql(s.model),
    horizonMonths: s.horizonMonths,
    monthlyDiscountRate: s.monthlyDiscountRate,
    defaultMarginRate: s.defaultMarginRate,
    cacSource: cacSourceGql(s.cacSource),
    fixedCac: s.fixedCacMinor === null ? null : money(s.fixedCacMinor, currency),
    timeUnit: timeUnitGql(s.timeUnit),
    updatedAt: stored.updatedAt,
    updatedBy: stored.updatedBy,
  };
}

export function toCustomerValueNode(
  record: CustomerValueRecord,
  currency: string,
): CustomerValueNode {
  const settings = JSON.parse(record.settingsJson) as ValueSettings;
  return {
    clv: record.clvMinor === null ? null : money(record.clvMinor, currency),
    historicalValue: money(record.historicalValueMinor, currency),
    pAlive: record.pAlive,
    expectedPurchases: record.expectedPurchases,
    expectedAverageOrderValue:
      record.expectedAvgValueMinor === null ? null : money(record.expectedAvgValueMinor, currency),
    margin: money(record.marginMinor, currency),
    frequency: record.frequency,
    firstPurchaseAt: record.firstPurchaseAt,
    lastPurchaseAt: record.lastPurchaseAt,
    model: valueModelGql(settings.model),
    horizonMonths: settings.horizonMonths,
    scoredAt: record.scoredAt,
    runId: String(record.runId),
    tierKey: record.tierKey,
    rfm:
      record.rfmR === null || record.rfmF === null || record.rfmM === null
        ? null
        : {
            recency: record.rfmR,
            frequency: record.rfmF,
            monetary: record.rfmM,
            group: record.rfmGroup ?? "",
          },
    lifecycleStage: record.lifecycleStage,
    churnRisk: record.churnRisk,
    status:
      record.lifecycleStage === null
        ? null
        : customerStatusWords(
            record.lifecycleStage as LifecycleStage,
            record.churnRisk as ChurnRisk | null,
          ),
  };
}

function toBgNbdFit(record: BgNbdRecord): BgNbdFitResult {
  return { ...record, params: { ...record.params } };
}

/** A run's stored model JSON → GraphQL. */
export function toFittedValueModel(run: ScoringRunEntity): FittedValueModel | null {
  if (run.status !== "succeeded" || !run.modelJson) return null;
  const model = JSON.parse(run.modelJson) as FittedModelRecord;
  const holdout = model.holdout;
  return {
    runId: String(run.id),
    fittedAt: run.finishedAt ?? run.createdAt,
    timeUnit: timeUnitGql(model.timeUnit),
    observationStart: model.observationStart ? dayStart(model.observationStart) : null,
    observationEnd: model.observationEnd ? dayStart(model.observationEnd) : null,
    customers: model.customers,
    customersWithOrders: model.customersWithOrders,
    bgnbd: model.bgnbd ? toBgNbdFit(model.bgnbd) : null,
    gammaGamma: model.gammaGamma,
    monthlyRetention: model.monthlyRetention,
    holdout: holdout
      ? {
          calibrationEnd: dayStart(holdout.calibrationEnd),
          holdoutEnd: dayStart(holdout.holdoutEnd),
          customers: holdout.customers,
          periodDays: holdout.periodDays,
          actual: holdout.actual,
          predicted: holdout.predicted,
          rmse: holdout.rmse,
          mae: holdout.mae,
          correlation: holdout.correlation,
          tracking: holdout.tracking,
          calibration: holdout.calibrationSeries,
          calibrationFit: toBgNbdFit(holdout.calibrationFit),
        }
      : null,
    warnings: model.warnings,
  };
}

/** A run → GraphQL. `currentRunId` decides isCurrent. */
export function toScoringRunNode(
  run: ScoringRunEntity,
  currentRunId: number | null,
  currency: string,
): ScoringRunNode {
  const settings = JSON.parse(run.settingsJson) as ValueSettings;
  const model = run.modelJson ? (JSON.parse(run.modelJson) as FittedModelRecord) : null;
  return {
    id: String(run.id),
    status: statusGql(run.status),
    progress: run.progress,
    phase: run.phase,
    customersScored: run.customersScored,
    customersTotal: run.customersTotal,
    isCurrent: run.id === currentRunId,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    error: run.error,
    triggeredBy: run.triggeredBy,
    settings: toValueSettingsNode({ settings, updatedAt: null, updatedBy: null }, currency),
    totalClv: model ? money(model.totalClvMinor, currency) : null,
    model: toFittedValueModel(run),
  };
}
