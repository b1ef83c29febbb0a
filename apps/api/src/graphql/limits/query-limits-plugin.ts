import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLFormattedError, GraphQLSchema } from "graphql";
import type { Principal } from "../../modules/auth/principal";
import { analyseOperation } from "./analyse-operation";
import { CostModel, type CostRules } from "./cost-model";
import { DEFAULT_COST_RULES, FIELD_OCCURRENCE_LIMITS } from "./field-costs";
import { figure, queryTooComplex, rateLimited } from "./limit-errors";
import { TokenBuckets } from "./token-bucket";

/** A request budget: a bucket of `capacity` cost units refilled at `refillPerSecond`. */
export interface Budget {
  capacity: number;
  refillPerSecond: number;
}

export interface OperationLimits {
  maxDepth: number;
  maxCost: number;
  /** Field resolutions one response may hold; the execution-time backstop to `maxCost`. */
  maxResponseFields: number;
  /** Per API key; null for none. */
  apiKeyBudget: Budget | null;
  /** Per client address, for requests without credentials; null for none. */
  anonymousBudget: Budget | null;
  /** Defaults to DEFAULT_COST_RULES. */
  costRules?: CostRules;
  /** Defaults to FIELD_OCCURRENCE_LIMITS. */
  occurrenceLimits?: Readonly<Record<string, number>>;
}

/** The part of the request context the limits read. */
interface LimitsContext {
  principal: Principal | null;
  clientIp: string;
}

/**
 * Enforces the operation limits once the operation is known and validated, before any resolver
 * runs: depth, cost, once-only fields (e.g. login) and the caller's request budget; then, while
 * it runs, the number of field resolutions.
 *
 * Signed-in users (the admin app) have no budget: they are few, known and audited; API keys
 * (storefronts, integrations) and anonymous callers do.
 */
export function queryLimitsPlugin(
  schema: GraphQLSchema,
  limits: OperationLimits,
): ApolloServerPlugin<LimitsContext> {
  const model = new CostModel(schema, limits.costRules ?? DEFAULT_COST_RULES);
  const occurrenceLimits = limits.occurrenceLimits ?? FIELD_OCCURRENCE_LIMITS;
  const watched = Object.keys(occurrenceLimits);
  const buckets = {
    apiKey: limits.apiKeyBudget
      ? new TokenBuckets(limits.apiKeyBudget.capacity, limits.apiKeyBudget.refillPerSecond)
      : null,
    anonymous: limits.anonymousBudget
      ? new TokenBuckets(limits.anonymousBudget.capacity, limits.anonymousBudget.refillPerSecond)
      : null,
  };
  const tooLarge: GraphQLFormattedError = {
    message: `the response would hold more than ${figure(limits.maxResponseFields)} fields, the most allowed: ask for smaller pages or fewer fields`,
    extensions: {
      code: "RESPONSE_TOO_LARGE",
      limit: "responseFields",
      max: limits.maxResponseFields,
    },
  };
  // One instance thrown for every field past the limit: building an Error per field would cost
  // more than the fields it stops.
  const stop = new Error(tooLarge.message);

  return {
    async requestDidStart() {
      let overflowed = false;
      return {
        async didResolveOperation({ request, document, operation, contextValue }) {
          if (!operation) return;
          const shape = analyseOperation(
            model,
            document,
            operation,
            request.variables ?? {},
            watched,
          );
          if (shape.depth > limits.maxDepth) {
            throw queryTooComplex(
              "depth",
              `query is ${shape.depth} levels deep; at most ${limits.maxDepth} are allowed`,
              { max: limits.maxDepth, actual: shape.depth },
            );
          }
          for (const field of watched) {
            const count = shape.fieldCounts[field] ?? 0;
            const max = occurrenceLimits[field]!;
            if (count > max) {
              throw queryTooComplex(
                "occurrences",
                `${field} may be asked ${max === 1 ? "once" : `${max} times`} per request; this operation asks for it ${figure(count)} times (aliases and fragment spreads count)`,
                { max, actual: count, field },
              );
            }
          }
          if (shape.cost > limits.maxCost) {
            throw queryTooComplex(
              "cost",
              `query would cost ${figure(shape.cost)}; at most ${figure(limits.maxCost)} is allowed: ask for smaller pages or fewer fields`,
              { max: limits.maxCost, actual: shape.cost },
            );
          }
          chargeBudget(buckets, contextValue, shape.cost);
        },
        async executionDidStart() {
          let resolved = 0;
          return {
            willResolveField() {
              resolved += 1;
              if (resolved > limits.maxResponseFields) {
                overflowed = true;
                throw stop;
              }
            },
          };
        },
        async willSendResponse({ response }) {
          if (!overflowed || response.body.kind !== "single") return;
          // A partial answer with thousands of per-field errors would be larger than the data;
          // the caller gets one error saying what to change.
          response.body.singleResult = { errors: [tooLarge] };
          response.http.status = 400;
        },
      };
    },
  };
}

function chargeBudget(
  buckets: { apiKey: TokenBuckets | null; anonymous: TokenBuckets | null },
  context: LimitsContext,
  cost: number,
): void {
  const principal = context.principal;
  if (principal?.kind === "user") return;
  const [bucketSet, key, who] =
    principal?.kind === "api_key"
      ? [buckets.apiKey, `key:${principal.apiKeyId}`, `API key ${principal.prefix}`]
      : [buckets.anonymous, `ip:${context.clientIp}`, `address ${context.clientIp}`];
  if (!bucketSet) return;
  if (cost > bucketSet.capacity) {
    throw queryTooComplex(
      "budget",
      `query would cost ${figure(cost)}, more than the whole request budget of ${figure(bucketSet.capacity)} for ${who}: ask for smaller pages or fewer fields`,
      { max: bucketSet.capacity, actual: cost },
    );
  }
  const taken = bucketSet.take(key, cost);
  if (!taken.ok) {
    throw rateLimited(
      `request budget of ${who} is spent: this query costs ${figure(cost)}, ${figure(taken.remaining)} is left; retry in ${taken.retryAfterSeconds} s (the budget refills at ${figure(bucketSet.refillPerSecond)} a second)`,
      { retryAfterSeconds: taken.retryAfterSeconds, cost, capacity: bucketSet.capacity },
    );
  }
}
