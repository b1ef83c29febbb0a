import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { IsOptional, MaxLength, MinLength } from "class-validator";
import { Connection } from "../../graphql/connection";
import { UserError } from "../../graphql/errors";

export enum RoleGql {
  ADMIN = "ADMIN",
  MARKETER = "MARKETER",
  ANALYST = "ANALYST",
}
registerEnumType(RoleGql, {
  name: "Role",
  valuesConfig: {
    ADMIN: { description: "Everything, including users, API keys and the audit log." },
    MARKETER: { description: "Customers, segments, loyalty and campaigns." },
    ANALYST: { description: "Read-only." },
  },
});

@ObjectType("User")
export class UserNode {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  email: string;

  @Field(() => String)
  name: string;

  @Field(() => RoleGql)
  role: RoleGql;

  @Field(() => Boolean)
  disabled: boolean;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  lastLoginAt: Date | null;
}

export const UserConnection = Connection(UserNode, "User");
export type UserConnection = InstanceType<typeof UserConnection>;

@InputType()
export class CreateUserInput {
  @Field(() => String)
  @MaxLength(254)
  email: string;

  @Field(() => String, {
    nullable: true,
    description: "At most 255 characters, no control characters.",
  })
  @IsOptional()
  @MaxLength(1000)
  name?: string | null;

  @Field(() => String, { description: "At least 8 characters." })
  @MinLength(1)
  @MaxLength(200)
  password: string;

  @Field(() => RoleGql)
  role: RoleGql;
}

@InputType()
export class UpdateUserInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, {
    nullable: true,
    description: "At most 255 characters, no control characters.",
  })
  @IsOptional()
  @MaxLength(1000)
  name?: string | null;

  @Field(() => RoleGql, { nullable: true })
  role?: RoleGql | null;

  @Field(() => Boolean, { nullable: true })
  disabled?: boolean | null;
}

@ObjectType()
export class LoginPayload {
  @Field(() => String, {
    nullable: true,
    description: "Bearer token for the Authorization header.",
  })
  token: string | null;

  @Field(() => UserNode, { nullable: true })
  user: UserNode | null;

  @Field(() => Int, {
    nullable: true,
    description: "With TOO_MANY_ATTEMPTS: seconds to wait before the next attempt is checked.",
  })
  retryAfterSeconds: number | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class LogoutPayload {
  @Field(() => Boolean, { description: "False when the session had already ended." })
  loggedOut: boolean;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class UserPayload {
  @Field(() => UserNode, { nullable: true })
  user: UserNode | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}
