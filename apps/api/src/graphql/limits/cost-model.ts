import {
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isIntrospectionType,
  isListType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
} from "graphql";

/** What the cost model needs to know beyond the schema; see field-costs.ts for the defaults. */
export interface CostRules {
  /** Cost of one resolution of a field, keyed "Type.field"; unlisted fields cost 1. */
  fieldCosts: Readonly<Record<string, number>>;
  /** Name of the page-size argument of connections and bounded lists. */
  pageArgument: string;
  /** The largest page a page argument accepts (larger values are refused at execution). */
  maxPageSize: number;
  /** Name of the list argument of bulk mutations, whose payload lists have one item per input. */
  itemsArgument: string;
  /** The most items a bulk mutation accepts. */
  maxItems: number;
  /** Assumed length of a list of objects with no argument bounding it (e.g. apiKeys). */
  unboundedListSize: number;
}

/** How one schema field is costed: computed once per field and schema. */
export interface FieldPlan {
  /** "Type.field", the key of the cost tables. */
  key: string;
  /** Cost of one resolution of the field itself. */
  base: number;
  returnsList: boolean;
  /** The argument that sizes this field's lists (its own or those of the object it returns). */
  sizing: { kind: "page"; argument: GraphQLArgument } | { kind: "items" } | null;
  /**
   * A list on a connection or bulk payload (CustomerConnection.edges, RecordOrdersPayload.orders):
   * its length is set by the field that returned its parent, which multiplies it.
   */
  sizedByParent: boolean;
  /** Introspection lists are bounded by the schema and served from memory. */
  introspection: boolean;
}

/**
 * The schema-derived half of the cost analysis. Field plans are computed lazily and kept, so the
 * per-request walk only reads them.
 */
export class CostModel {
  private readonly plans = new Map<string, FieldPlan>();
  /** Types whose lists are sized by the field returning them: connections and bulk payloads. */
  private readonly sizedContainers = new Set<string>();

  constructor(
    readonly schema: GraphQLSchema,
    readonly rules: CostRules,
  ) {
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const nullable = getNullableType(field.type);
        if (isListType(nullable) || !this.sizingOf(field)) continue;
        const returned = getNamedType(field.type);
        if (isCompositeType(returned)) this.sizedContainers.add(returned.name);
      }
    }
  }

  /**
   * The definition of a field selected on `parent`, meta fields included; undefined when the
   * type has no such field (validation reports that; the walk then costs it as a plain field).
   */
  fieldDefinition(
    parent: GraphQLCompositeType,
    name: string,
  ): GraphQLField<unknown, unknown> | undefined {
    if (name === "__typename") return TypeNameMetaFieldDef;
    if (parent === this.schema.getQueryType()) {
      if (name === "__schema") return SchemaMetaFieldDef;
      if (name === "__type") return TypeMetaFieldDef;
    }
    if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
    return undefined;
  }

  plan(parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>): FieldPlan {
    const key = `${parent.name}.${field.name}`;
    const cached = this.plans.get(key);
    if (cached) return cached;
    const returnsList = isListType(getNullableType(field.type));
    const sizing = this.sizingOf(field);
    const declared = this.rules.fieldCosts[key] ?? costExtension(field);
    const plan: FieldPlan = {
      key,
      base: declared ?? 1,
      returnsList,
      sizing,
      sizedByParent: returnsList && !sizing && this.sizedContainers.has(parent.name),
      introspection: isIntrospectionType(parent) || field.name.startsWith("__"),
    };
    this.plans.set(key, plan);
    return plan;
  }

  private sizingOf(field: GraphQLField<unknown, unknown>): FieldPlan["sizing"] {
    for (const argument of field.args) {
      if (argument.name === this.rules.pageArgument && getNamedType(argument.type).name === "Int")
        return { kind: "page", argument };
      if (argument.name === this.rules.itemsArgument && isListType(getNullableType(argument.type)))
        return { kind: "items" };
    }
    return null;
  }
}

/** A cost declared on the field itself: `@Field({ extensions: { cost: 500 } })`. */
function costExtension(field: GraphQLField<unknown, unknown>): number | undefined {
  const cost = (field.extensions as { cost?: unknown } | undefined)?.cost;
  return typeof cost === "number" && Number.isFinite(cost) && cost >= 0 ? cost : undefined;
}
