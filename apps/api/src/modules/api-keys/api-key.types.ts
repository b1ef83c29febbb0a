import { ArrayMaxSize, ArrayMinSize, MaxLength } from "class-validator";
import { Field, ID, InputType, ObjectType } from "type-graphql";
import { UserError } from "../../graphql/errors";

@ObjectType("ApiKey")
export class ApiKeyNode {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { description: 'The visible start of the key, e.g. "vt_3f9a2c1d".' })
  prefix: string;

  @Field(() => [String])
  scopes: string[];

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt: Date | null;

  @Field(() => Boolean)
  revoked: boolean;
}

@InputType()
export class CreateApiKeyInput {
  // Generous here so that a long name gets the service's TOO_LONG user error (120 characters
  // after trimming); this only bounds what the server reads.
  @Field(() => String, { description: "At most 120 characters, no control characters." })
  @MaxLength(1000)
  name: string;

  @Field(() => [String], {
    description: "Any of customers:read, customers:write, orders:write, loyalty:write.",
  })
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  scopes: string[];
}

@ObjectType()
export class CreateApiKeyPayload {
  @Field(() => ApiKeyNode, { nullable: true })
  apiKey: ApiKeyNode | null;

  @Field(() => String, { nullable: true, description: "The secret, shown this once." })
  secret: string | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class RevokeApiKeyPayload {
  @Field(() => ApiKeyNode, { nullable: true })
  apiKey: ApiKeyNode | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}
