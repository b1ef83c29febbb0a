import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { parseMoney, type ValueSettings } from "@valuetier/domain";
import { Allow } from "../../graphql/access";
import { actorOf } from "../../graphql/actor";
import type { GraphQLContext } from "../../graphql/context";
import { userError, type UserError } from "../../graphql/errors";
import { toValueSettingsNode } from "./value.mapper";
import {
  UpdateValueSettingsInput,
  UpdateValueSettingsPayload,
  ValueSettingsNode,
} from "./value-settings.types";

const FIELD_NAMES: Partial<Record<keyof ValueSettings, string>> = { fixedCacMinor: "fixedCac" };

@Resolver()
export class ValueSettingsResolver {
  @Query(() => ValueSettingsNode, { description: "The settings the next scoring run will use." })
  @Allow("business:read")
  async valueSettings(@Ctx() ctx: GraphQLContext): Promise<ValueSettingsNode> {
    const service = ctx.services.valueSettings;
    return toValueSettingsNode(await service.get(), ctx.config.defaultCurrency);
  }

  @Mutation(() => UpdateValueSettingsPayload, {
    description: "Changes the value settings (audited); they apply from the next scoring run.",
  })
  @Allow("value:manage")
  async updateValueSettings(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => UpdateValueSettingsInput) input: UpdateValueSettingsInput,
  ): Promise<UpdateValueSettingsPayload> {
    const currency = ctx.config.defaultCurrency;
    const service = ctx.services.valueSettings;
    const patch: Partial<ValueSettings> = {};
    const errors: UserError[] = [];
    if (input.model != null) patch.model = input.model;
    if (input.horizonMonths != null) patch.horizonMonths = input.horizonMonths;
    if (input.monthlyDiscountRate != null)
      patch.monthlyDiscountRate = input.monthlyDiscountRate.trim();
    if (input.defaultMarginRate != null) patch.defaultMarginRate = input.defaultMarginRate.trim();
    if (input.cacSource != null) patch.cacSource = input.cacSource;
    if (input.timeUnit != null) patch.timeUnit = input.timeUnit;
    if (input.fixedCac != null) {
      const parsed = parseMoney(input.fixedCac, currency);
      if (parsed.ok) patch.fixedCacMinor = parsed.minor;
      else errors.push(userError("input.fixedCac", "INVALID_MONEY", parsed.message));
    }
    if (errors.length === 0) {
      const result = await service.update(patch, actorOf(ctx));
      if (result.ok) {
        return { settings: toValueSettingsNode(result.value, currency), userErrors: [] };
      }
      for (const issue of result.issues) {
        const field = FIELD_NAMES[issue.field] ?? issue.field;
        errors.push(userError(`input.${field}`, issue.code, issue.message));
      }
    }
    return { settings: toValueSettingsNode(await service.get(), currency), userErrors: errors };
  }
}
