import { registerEnumType } from "type-graphql";
import type { CacSource, TimeUnit, ValueModel } from "@valuetier/domain";
import type { ScoringRunStatus } from "./scoring-run.entity";

/** GraphQL spellings of the stored (lower-case) values. */
export enum ValueModelGql {
  BGNBD = "bgnbd",
  HISTORICAL = "historical",
  SIMPLE = "simple",
  DCF = "dcf",
  RETENTION = "retention",
}
registerEnumType(ValueModelGql, {
  name: "ValueModel",
  description: "How CLV is computed (docs/clv-models.md).",
  valuesConfig: {
    BGNBD: { description: "Discounted predictive CLV from BG/NBD + Gamma-Gamma (future margin)." },
    HISTORICAL: { description: "Margin to date − CAC." },
    SIMPLE: { description: "AOV × purchases a month × 1/monthly churn × margin − CAC." },
    DCF: { description: "Net present value of the retained monthly margin over the horizon." },
    RETENTION: { description: "Gupta & Lehmann: m · r / (1 + d − r), monthly." },
  },
});

export enum TimeUnitGql {
  DAY = "day",
  WEEK = "week",
  MONTH = "month",
}
registerEnumType(TimeUnitGql, { name: "TimeUnit" });

export enum CacSourceGql {
  CHANNEL = "channel",
  FIXED = "fixed",
}
registerEnumType(CacSourceGql, {
  name: "CacSource",
  valuesConfig: {
    CHANNEL: { description: "The acquisition cost recorded on each customer (0 when none)." },
    FIXED: { description: "One fixed amount for every customer." },
  },
});

export enum ScoringRunStatusGql {
  QUEUED = "queued",
  RUNNING = "running",
  SUCCEEDED = "succeeded",
  FAILED = "failed",
}
registerEnumType(ScoringRunStatusGql, { name: "ScoringRunStatus" });

// The enums' values are the stored strings, so converting is a type assertion checked here.
export const valueModelGql = (model: ValueModel) => model as ValueModelGql;
export const timeUnitGql = (unit: TimeUnit) => unit as TimeUnitGql;
export const cacSourceGql = (source: CacSource) => source as CacSourceGql;
export const statusGql = (status: ScoringRunStatus) => status as ScoringRunStatusGql;
