import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { TimeUnitGql } from "./value-enums";

@ObjectType({ description: "BG/NBD parameters (FHL 2005): λ ~ Gamma(r, α), p ~ Beta(a, b)." })
export class BgNbdParameters {
  @Field(() => Float)
  r: number;

  @Field(() => Float, { description: "In the model's time unit." })
  alpha: number;

  @Field(() => Float)
  a: number;

  @Field(() => Float)
  b: number;
}

@ObjectType()
export class BgNbdFitResult {
  @Field(() => BgNbdParameters)
  params: BgNbdParameters;

  @Field(() => BgNbdParameters, {
    nullable: true,
    description: "Asymptotic standard errors; null when the Hessian is not positive definite.",
  })
  standardErrors: BgNbdParameters | null;

  @Field(() => Float)
  logLikelihood: number;

  @Field(() => Int)
  customers: number;

  @Field(() => Int)
  repeatCustomers: number;

  @Field(() => Int)
  iterations: number;

  @Field(() => String, { description: "bfgs, or nelder-mead when the fallback was needed." })
  method: string;
}

@ObjectType({ description: "Gamma-Gamma parameters (Fader & Hardie note 025); v is γ." })
export class GammaGammaParameters {
  @Field(() => Float)
  p: number;

  @Field(() => Float)
  q: number;

  @Field(() => Float)
  v: number;
}

@ObjectType()
export class GammaGammaFitResult {
  @Field(() => GammaGammaParameters)
  params: GammaGammaParameters;

  @Field(() => GammaGammaParameters, { nullable: true })
  standardErrors: GammaGammaParameters | null;

  @Field(() => Float)
  logLikelihood: number;

  @Field(() => Int, { description: "Repeat customers with positive spend." })
  customers: number;

  @Field(() => Float, {
    nullable: true,
    description: "Correlation of frequency and mean spend; the model assumes it is near 0.",
  })
  frequencySpendCorrelation: number | null;
}

@ObjectType({ description: "Cumulative repeat purchases up to the end of a holdout period." })
export class HoldoutTrackingPoint {
  @Field(() => Int, { description: "1-based period of the holdout." })
  period: number;

  @Field(() => Float)
  actual: number;

  @Field(() => Float)
  predicted: number;
}

@ObjectType({
  description: "Mean holdout purchases of the customers with a calibration frequency.",
})
export class HoldoutCalibrationPoint {
  @Field(() => Int, { description: "Repeat purchases in calibration, 0–7; 7 means 7 or more." })
  purchases: number;

  @Field(() => Int)
  customers: number;

  @Field(() => Float)
  actual: number;

  @Field(() => Float)
  predicted: number;
}

@ObjectType({ description: "The model fitted on the calibration period, checked on the holdout." })
export class HoldoutDiagnosticsNode {
  @Field(() => Date, { description: "Last calibration day (UTC midnight)." })
  calibrationEnd: Date;

  @Field(() => Date, { description: "Last holdout day (UTC midnight)." })
  holdoutEnd: Date;

  @Field(() => Int, {
    description: "Customers compared (those who had bought by the calibration end).",
  })
  customers: number;

  @Field(() => Float, { description: "Length of a tracking period in days (7, or a month)." })
  periodDays: number;

  @Field(() => Float, { description: "Total repeat purchases in the holdout." })
  actual: number;

  @Field(() => Float)
  predicted: number;

  @Field(() => Float, { nullable: true })
  rmse: number | null;

  @Field(() => Float, { nullable: true })
  mae: number | null;

  @Field(() => Float, { nullable: true })
  correlation: number | null;

  @Field(() => [HoldoutTrackingPoint])
  tracking: HoldoutTrackingPoint[];

  @Field(() => [HoldoutCalibrationPoint], { description: "By calibration frequency 0..7+." })
  calibration: HoldoutCalibrationPoint[];

  @Field(() => BgNbdFitResult)
  calibrationFit: BgNbdFitResult;
}

@ObjectType({ description: "What a scoring run fitted on the whole customer base." })
export class FittedValueModel {
  @Field(() => ID)
  runId: string;

  @Field(() => Date)
  fittedAt: Date;

  @Field(() => TimeUnitGql)
  timeUnit: TimeUnitGql;

  @Field(() => Date, { nullable: true, description: "First purchase day of the data." })
  observationStart: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: "Last purchase day of the data: the 'now' of T.",
  })
  observationEnd: Date | null;

  @Field(() => Int)
  customers: number;

  @Field(() => Int)
  customersWithOrders: number;

  @Field(() => BgNbdFitResult, { nullable: true })
  bgnbd: BgNbdFitResult | null;

  @Field(() => GammaGammaFitResult, { nullable: true })
  gammaGamma: GammaGammaFitResult | null;

  @Field(() => Float, {
    nullable: true,
    description: "Monthly retention of the base, used by the SIMPLE, DCF and RETENTION models.",
  })
  monthlyRetention: number | null;

  @Field(() => HoldoutDiagnosticsNode, { nullable: true })
  holdout: HoldoutDiagnosticsNode | null;

  @Field(() => [String])
  warnings: string[];
}
