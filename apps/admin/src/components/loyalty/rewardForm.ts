import type { CreateRewardInput, UpdateRewardInput } from "../../gql/graphql";

/** A reward as the catalogue query answers it (the fields the form edits). */
export interface RewardValue {
  id: string;
  name: string;
  description: string;
  pointsCost: number;
  tierKeys: readonly string[];
  stock?: number | null;
  perCustomerLimit?: number | null;
  validFrom?: string | null;
  validUntil?: string | null;
  couponPrefix: string;
  /** Absent in older answers: false. */
  campaignOnly?: boolean;
  active: boolean;
}

/** The reward form: blank numbers are null; the validity as two epoch milliseconds or null. */
export interface RewardDraft {
  name: string;
  description: string;
  pointsCost: number | null;
  tierKeys: string[];
  stock: number | null;
  perCustomerLimit: number | null;
  validity: [number, number] | null;
  couponPrefix: string;
  campaignOnly: boolean;
  active: boolean;
}

/**
 * The form's starting state: empty for a new reward, else the reward's values.
 *
 * @param reward - the reward to edit, or null for a new one.
 * @returns a fresh draft.
 */
export function rewardDraft(reward: RewardValue | null): RewardDraft {
  const from = reward?.validFrom ? Date.parse(reward.validFrom) : null;
  const until = reward?.validUntil ? Date.parse(reward.validUntil) : null;
  return {
    name: reward?.name ?? "",
    description: reward?.description ?? "",
    pointsCost: reward?.pointsCost ?? null,
    tierKeys: [...(reward?.tierKeys ?? [])],
    stock: reward?.stock ?? null,
    perCustomerLimit: reward?.perCustomerLimit ?? null,
    // The range picker needs both ends; a reward open at one end shows none and keeps its own.
    validity: from !== null && until !== null ? [from, until] : null,
    couponPrefix: reward?.couponPrefix ?? "",
    campaignOnly: reward?.campaignOnly ?? false,
    active: reward?.active ?? true,
  };
}

/**
 * What createReward takes from the form. A blank points cost goes as NaN so that the rules
 * name it (the form does not send while they do).
 *
 * @param draft - the form.
 * @returns the mutation's input.
 */
export function createRewardInput(draft: RewardDraft): CreateRewardInput {
  return {
    name: draft.name.trim(),
    description: draft.description.trim(),
    pointsCost: draft.pointsCost ?? Number.NaN,
    tierKeys: [...draft.tierKeys],
    stock: draft.stock,
    perCustomerLimit: draft.perCustomerLimit,
    validFrom: draft.validity ? new Date(draft.validity[0]).toISOString() : null,
    validUntil: draft.validity ? new Date(draft.validity[1]).toISOString() : null,
    couponPrefix: draft.couponPrefix.trim(),
    campaignOnly: draft.campaignOnly,
    active: draft.active,
  };
}

/**
 * What updateReward takes: every field the form shows, so the saved reward is what the form
 * says; a validity cleared in the form clears it, one the picker could not show is kept.
 *
 * @param reward - the reward as loaded.
 * @param draft - the form.
 * @returns the mutation's input.
 */
export function updateRewardInput(reward: RewardValue, draft: RewardDraft): UpdateRewardInput {
  const { validFrom, validUntil, ...rest } = createRewardInput(draft);
  const openEnded =
    !!(reward.validFrom || reward.validUntil) && rewardDraft(reward).validity === null;
  return {
    id: reward.id,
    ...rest,
    ...(openEnded && draft.validity === null ? {} : { validFrom, validUntil }),
  };
}

/** One refusal of the reward form: the API's field (without `input.`) and code. */
export interface RewardProblem {
  field: string;
  code: string;
}

const WHOLE = (value: unknown, min: number, max: number): boolean =>
  Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;

/**
 * What the API would refuse in a reward (the admin's copy of the service's checkReward; the
 * spec beside this file holds the cases).
 *
 * @param input - createRewardInput(draft).
 * @returns every problem, in the API's order.
 * @example
 * rewardProblems({ ...input, pointsCost: 0 }) // [{ field: "pointsCost", code: "INVALID_POINTS" }]
 */
export function rewardProblems(input: CreateRewardInput): RewardProblem[] {
  const problems: RewardProblem[] = [];
  const name = input.name.trim();
  if (name === "" || name.length > 120) problems.push({ field: "name", code: "INVALID_TEXT" });
  if (!WHOLE(input.pointsCost, 1, 1_000_000_000)) {
    problems.push({ field: "pointsCost", code: "INVALID_POINTS" });
  }
  if (input.stock != null && !WHOLE(input.stock, 0, 1_000_000_000)) {
    problems.push({ field: "stock", code: "INVALID_STOCK" });
  }
  if (input.perCustomerLimit != null && !WHOLE(input.perCustomerLimit, 1, 1_000_000)) {
    problems.push({ field: "perCustomerLimit", code: "INVALID_LIMIT" });
  }
  if (input.validFrom && input.validUntil && input.validFrom >= input.validUntil) {
    problems.push({ field: "validUntil", code: "INVALID_PERIOD" });
  }
  if (!/^[A-Z0-9-]{0,16}$/.test(input.couponPrefix?.trim() ?? "")) {
    problems.push({ field: "couponPrefix", code: "INVALID_PREFIX" });
  }
  return problems;
}
