import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { Connection } from "../../graphql/connection";
import { Money } from "../../graphql/money";
import { FittedValueModel } from "./fitted-model.types";
import { ScoringRunStatusGql } from "./value-enums";
import { ValueSettingsNode } from "./value-settings.types";

@ObjectType("ScoringRun", { description: "One scoring run; runs are kept for history." })
export class ScoringRunNode {
  @Field(() => ID)
  id: string;

  @Field(() => ScoringRunStatusGql)
  status: ScoringRunStatusGql;

  @Field(() => Float, { description: "0 to 1." })
  progress: number;

  @Field(() => String, { description: "queued, aggregating, fitting, scoring or done." })
  phase: string;

  @Field(() => Int)
  customersScored: number;

  @Field(() => Int, { nullable: true })
  customersTotal: number | null;

  @Field(() => Boolean, {
    description:
      "Whether this run's values are the ones customers show (the latest succeeded run).",
  })
  isCurrent: boolean;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;

  @Field(() => String, { nullable: true, description: "Why the run failed." })
  error: string | null;

  @Field(() => String)
  triggeredBy: string;

  @Field(() => ValueSettingsNode, { description: "The settings the run used." })
  settings: ValueSettingsNode;

  @Field(() => Money, { nullable: true, description: "Σ CLV of the customers it valued." })
  totalClv: Money | null;

  @Field(() => FittedValueModel, { nullable: true, description: "Set when the run succeeded." })
  model: FittedValueModel | null;
}

export const ScoringRunConnection = Connection(ScoringRunNode, "ScoringRun");
export type ScoringRunConnection = InstanceType<typeof ScoringRunConnection>;

@ObjectType("ScoringStatus", {
  description: "Where scoring stands: coverage and the run under way.",
})
export class ScoringStatusNode {
  @Field(() => Int)
  customersTotal: number;

  @Field(() => Int, {
    description:
      "Customers added or changed since the current run started (all of them before a first run): their values are missing or out of date until the next run.",
  })
  customersNotScored: number;

  @Field(() => ScoringRunNode, {
    nullable: true,
    description: "The run customers' values come from.",
  })
  currentRun: ScoringRunNode | null;

  @Field(() => ScoringRunNode, {
    nullable: true,
    description: "The run queued or running, if any.",
  })
  activeRun: ScoringRunNode | null;
}
