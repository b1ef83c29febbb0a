import { IsBoolean, IsEnum, IsString, MaxLength } from "class-validator";
import { Field, InputType, ObjectType, registerEnumType } from "type-graphql";
import { UserError } from "../../graphql/errors";
import type { JobScheduleEntity } from "../jobs/job-schedule.entity";

export enum ScheduleModeGql {
  DAILY = "daily",
  AFTER_IMPORT = "after_import",
}
registerEnumType(ScheduleModeGql, {
  name: "ScheduleMode",
  valuesConfig: {
    DAILY: { description: "Every day at timeOfDay in timeZone." },
    AFTER_IMPORT: {
      description:
        "After customers or orders were imported or written, once the writes have settled (a minute).",
    },
  },
});

@ObjectType("ScoringSchedule", { description: "When scoring runs by itself." })
export class ScoringScheduleNode {
  @Field(() => Boolean)
  enabled: boolean;

  @Field(() => ScheduleModeGql)
  mode: ScheduleModeGql;

  @Field(() => String, { description: "HH:MM, 24-hour, for DAILY." })
  timeOfDay: string;

  @Field(() => String, { description: "IANA time zone of timeOfDay, e.g. Asia/Taipei." })
  timeZone: string;

  @Field(() => Date, { nullable: true, description: "When the next DAILY run is due." })
  nextRunAt: Date | null;

  @Field(() => String, { nullable: true, description: "id of the last job the schedule started." })
  lastJobId: string | null;
}

export function toScoringScheduleNode(schedule: JobScheduleEntity | null): ScoringScheduleNode {
  if (!schedule) {
    return {
      enabled: false,
      mode: ScheduleModeGql.DAILY,
      timeOfDay: "02:00",
      timeZone: "UTC",
      nextRunAt: null,
      lastJobId: null,
    };
  }
  return {
    enabled: schedule.enabled === 1,
    mode: schedule.mode as ScheduleModeGql,
    timeOfDay: schedule.timeOfDay,
    timeZone: schedule.timeZone,
    nextRunAt: schedule.nextRunAt,
    lastJobId: schedule.lastJobId === null ? null : String(schedule.lastJobId),
  };
}

@InputType()
export class ScoringScheduleInput {
  @Field(() => Boolean)
  @IsBoolean()
  enabled: boolean;

  @Field(() => ScheduleModeGql)
  @IsEnum(ScheduleModeGql)
  mode: ScheduleModeGql;

  @Field(() => String, { defaultValue: "02:00", description: "HH:MM, 24-hour." })
  @IsString()
  @MaxLength(5)
  timeOfDay: string = "02:00";

  @Field(() => String, { defaultValue: "UTC", description: "IANA time zone, e.g. Asia/Taipei." })
  @IsString()
  @MaxLength(64)
  timeZone: string = "UTC";
}

@ObjectType()
export class UpdateScoringSchedulePayload {
  @Field(() => ScoringScheduleNode, { nullable: true })
  schedule: ScoringScheduleNode | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}
