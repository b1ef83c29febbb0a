import {
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  getNamedType,
  isCompositeType,
  valueFromASTUntyped,
} from "graphql";
import type { CostModel, FieldPlan } from "./cost-model";

/** What an operation would do if it ran, worked out from its document alone. */
export interface OperationShape {
  /** Deepest field nesting, fragments followed. */
  depth: number;
  /** Estimated cost (see docs/graphql-limits.md): an upper bound on the work and response. */
  cost: number;
  /** Aliased fields written in the operation and the fragments it uses, each counted once. */
  aliases: number;
  /** How often each watched field ("Type.field") is selected, aliases and spreads included. */
  fieldCounts: Record<string, number>;
}

/**
 * Cost of a selection set, split in two so that a fragment's figures do not depend on where it
 * is spread: `perItem` is the part inside lists sized by the field that returned this object
 * (a connection's edges, a bulk payload's items), which that field multiplies by its page size
 * or input length; `fixed` is the rest.
 */
interface Summary {
  depth: number;
  fixed: number;
  perItem: number;
  counts: Map<string, number> | null;
}

const EMPTY: Summary = { depth: 0, fixed: 0, perItem: 0, counts: null };

/**
 * Walks one operation once, each fragment definition once (its summary is memoised and combined
 * at every spread), so the time is linear in the document however the fragments fan out.
 *
 * @param watched fields to count, keyed "Type.field" (e.g. "Mutation.login")
 * @returns depth, cost, alias count and the counts of the watched fields
 * @example
 * analyseOperation(model, parse("{ customers(first: 10) { edges { node { id } } } }"), op, {}, [])
 * // { depth: 4, cost: 31, aliases: 0, fieldCounts: {} }
 */
export function analyseOperation(
  model: CostModel,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  watched: readonly string[],
): OperationShape {
  const { schema, rules } = model;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
  const variableDefaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue)
      variableDefaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const watchedSet = new Set(watched);
  const memo = new Map<string, Summary>();
  const inProgress = new Set<string>();
  let aliases = 0;

  const valueOf = (node: ValueNode): unknown => {
    if (node.kind !== Kind.VARIABLE) return valueFromASTUntyped(node, variables);
    const name = node.name.value;
    if (variables[name] !== undefined) return variables[name];
    const fallback = variableDefaults.get(name);
    return fallback ? valueFromASTUntyped(fallback, variables) : undefined;
  };

  /** How many items the field's list (or the lists of what it returns) can hold. */
  const sizeOf = (plan: FieldPlan, node: FieldNode): number => {
    const sizing = plan.sizing;
    if (!sizing) return plan.introspection ? 1 : rules.unboundedListSize;
    const argumentName = sizing.kind === "page" ? rules.pageArgument : rules.itemsArgument;
    const given = node.arguments?.find((a) => a.name.value === argumentName);
    if (sizing.kind === "page") {
      const value = given ? valueOf(given.value) : undefined;
      const size = typeof value === "number" ? value : sizing.argument.defaultValue;
      if (typeof size !== "number" || !Number.isFinite(size)) return rules.maxPageSize;
      return Math.min(Math.max(Math.ceil(size), 0), rules.maxPageSize);
    }
    // A literal list is counted without building it: 1,000 inline items are 1,000 AST nodes.
    if (given?.value.kind === Kind.LIST) return Math.min(given.value.values.length, rules.maxItems);
    const value = given ? valueOf(given.value) : undefined;
    if (Array.isArray(value)) return Math.min(value.length, rules.maxItems);
    // GraphQL coerces a single item to a list of one; anything else is refused at execution.
    if (value !== null && typeof value === "object") return 1;
    return rules.maxItems;
  };

  const add = (into: Summary, part: Summary): void => {
    into.depth = Math.max(into.depth, part.depth);
    into.fixed += part.fixed;
    into.perItem += part.perItem;
    if (part.counts) {
      into.counts ??= new Map();
      for (const [key, n] of part.counts) into.counts.set(key, (into.counts.get(key) ?? 0) + n);
    }
  };

  const fragmentSummary = (name: string): Summary => {
    const known = memo.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // Unknown fragments and cycles are refused by graphql's own validation; cost them as nothing.
    if (!fragment || inProgress.has(name)) return EMPTY;
    const type = schema.getType(fragment.typeCondition.name.value);
    if (!type || !isCompositeType(type)) return EMPTY;
    inProgress.add(name);
    const summary = selectionSummary(fragment.selectionSet, type);
    inProgress.delete(name);
    memo.set(name, summary);
    return summary;
  };

  const fieldSummary = (node: FieldNode, parent: GraphQLCompositeType | null): Summary => {
    if (node.alias) aliases += 1;
    const definition = parent ? model.fieldDefinition(parent, node.name.value) : undefined;
    const plan = parent && definition ? model.plan(parent, definition) : null;
    const returned = definition ? namedComposite(definition.type) : null;
    const child = node.selectionSet ? selectionSummary(node.selectionSet, returned) : EMPTY;
    const base = plan?.base ?? 1;
    const summary: Summary = { depth: 1 + child.depth, fixed: 0, perItem: 0, counts: null };
    let cost: number;
    if (!plan) {
      cost = base + child.fixed + child.perItem;
    } else if (plan.returnsList && plan.sizedByParent) {
      cost = base + child.fixed + child.perItem;
    } else if (plan.returnsList) {
      cost = base + sizeOf(plan, node) * (child.fixed + child.perItem);
    } else {
      cost = base + child.fixed + (child.perItem > 0 ? sizeOf(plan, node) * child.perItem : 0);
    }
    if (plan?.sizedByParent) summary.perItem = cost;
    else summary.fixed = cost;
    if (child.counts) summary.counts = new Map(child.counts);
    if (plan && watchedSet.has(plan.key)) {
      summary.counts ??= new Map();
      summary.counts.set(plan.key, (summary.counts.get(plan.key) ?? 0) + 1);
    }
    return summary;
  };

  function selectionSummary(set: SelectionSetNode, parent: GraphQLCompositeType | null): Summary {
    const summary: Summary = { depth: 0, fixed: 0, perItem: 0, counts: null };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        add(summary, fieldSummary(selection, parent));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        const type = condition && isCompositeType(condition) ? condition : null;
        add(summary, selectionSummary(selection.selectionSet, type));
      } else {
        add(summary, fragmentSummary(selection.name.value));
      }
    }
    return summary;
  }

  const root =
    operation.operation === "query"
      ? schema.getQueryType()
      : operation.operation === "mutation"
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  const summary = selectionSummary(operation.selectionSet, root ?? null);
  const fieldCounts: Record<string, number> = {};
  for (const [key, n] of summary.counts ?? []) fieldCounts[key] = n;
  return {
    depth: summary.depth,
    cost: summary.fixed + summary.perItem,
    aliases,
    fieldCounts,
  };
}

function namedComposite(type: GraphQLOutputType): GraphQLCompositeType | null {
  const named = getNamedType(type);
  return isCompositeType(named) ? named : null;
}
