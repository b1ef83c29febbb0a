import { GraphQLError } from "graphql";
import { Field, ObjectType } from "type-graphql";

/** An expected failure returned as data in a mutation payload (docs/graphql-api.md). */
@ObjectType({ description: "An expected failure of a mutation, returned as data." })
export class UserError {
  @Field(() => String, {
    nullable: true,
    description:
      'Path of the input field at fault, e.g. "input.3.email"; null when not tied to a field.',
  })
  field: string | null;

  @Field(() => String, { description: "Stable, machine-readable code, e.g. INVALID_EMAIL." })
  code: string;

  @Field(() => String)
  message: string;
}

export const userError = (field: string | null, code: string, message: string): UserError => ({
  field,
  code,
  message,
});

/** Codes of errors thrown (not returned) by the API: the request as a whole cannot proceed. */
export type ApiErrorCode = "UNAUTHENTICATED" | "FORBIDDEN" | "BAD_USER_INPUT" | "QUERY_TOO_COMPLEX";

export function apiError(code: ApiErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}
