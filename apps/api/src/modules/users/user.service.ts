import { IsNull, Not, type DataSource } from "typeorm";
import { userError, type UserError } from "../../graphql/errors";
import { recordAudit, type Actor } from "../audit/audit.service";
import { hashPassword, verifyPassword } from "../auth/password";
import { signSessionToken } from "../auth/tokens";
import { UserEntity, type Role } from "./user.entity";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MIN_PASSWORD_LENGTH = 8;

/** Safe to log and audit: never the password hash. */
const auditView = (user: UserEntity) => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  disabled: user.disabledAt !== null,
});

// A real hash of a throwaway password, so a login for an unknown email costs the same time as
// one with a wrong password and does not reveal which emails exist.
let dummyHash: Promise<string> | null = null;

export class UserService {
  constructor(private readonly dataSource: DataSource) {}

  async login(
    email: string,
    password: string,
    jwtSecret: string,
    ttlSeconds: number,
  ): Promise<{ token: string; user: UserEntity } | UserError> {
    const repo = this.dataSource.getRepository(UserEntity);
    const user = await repo.findOne({ where: { email: email.trim().toLowerCase() } });
    dummyHash ??= hashPassword("not-a-password");
    const ok = await verifyPassword(password, user ? user.passwordHash : await dummyHash);
    if (!user || !ok)
      return userError(null, "INVALID_CREDENTIALS", "email or password is not correct");
    if (user.disabledAt) return userError(null, "USER_DISABLED", "this user has been disabled");
    user.lastLoginAt = new Date();
    await repo.update({ id: user.id }, { lastLoginAt: user.lastLoginAt });
    const token = signSessionToken(
      { sub: String(user.id), role: user.role },
      jwtSecret,
      ttlSeconds,
    );
    return { token, user };
  }

  async create(
    input: { email: string; name?: string | null; password: string; role: Role },
    actor: Actor,
  ): Promise<UserEntity | UserError[]> {
    const email = input.email.trim().toLowerCase();
    const errors: UserError[] = [];
    if (!EMAIL.test(email))
      errors.push(
        userError("input.email", "INVALID_EMAIL", `"${input.email}" is not an email address`),
      );
    if (input.password.length < MIN_PASSWORD_LENGTH) {
      errors.push(
        userError(
          "input.password",
          "PASSWORD_TOO_SHORT",
          `password must have at least ${MIN_PASSWORD_LENGTH} characters`,
        ),
      );
    }
    if (errors.length) return errors;
    const passwordHash = await hashPassword(input.password);
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(UserEntity);
      if (await repo.exists({ where: { email } })) {
        return [
          userError("input.email", "EMAIL_TAKEN", `a user with email ${email} already exists`),
        ];
      }
      const user = await repo.save(
        repo.create({
          email,
          name: input.name?.trim() ?? "",
          passwordHash,
          role: input.role,
          disabledAt: null,
        }),
      );
      await recordAudit(manager, actor, {
        action: "user.create",
        entityType: "user",
        entityId: user.id,
        after: auditView(user),
      });
      return user;
    });
  }

  async update(
    input: { id: string; name?: string | null; role?: Role | null; disabled?: boolean | null },
    actor: Actor,
  ): Promise<UserEntity | UserError[]> {
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(UserEntity);
      const id = Number(input.id);
      const user = Number.isSafeInteger(id) ? await repo.findOne({ where: { id } }) : null;
      if (!user) return [userError("input.id", "NOT_FOUND", `no user with id ${input.id}`)];
      const before = auditView(user);
      const losesAdmin =
        user.role === "ADMIN" &&
        user.disabledAt === null &&
        ((input.role != null && input.role !== "ADMIN") || input.disabled === true);
      if (losesAdmin) {
        const otherAdmins = await repo.count({
          where: { role: "ADMIN", disabledAt: IsNull(), id: Not(user.id) },
        });
        if (otherAdmins === 0) {
          return [
            userError(
              "input.role",
              "LAST_ADMIN",
              "this is the last active admin: make another admin first",
            ),
          ];
        }
      }
      if (input.name != null) user.name = input.name.trim();
      if (input.role != null) user.role = input.role;
      if (input.disabled != null)
        user.disabledAt = input.disabled ? (user.disabledAt ?? new Date()) : null;
      await repo.save(user);
      await recordAudit(manager, actor, {
        action: "user.update",
        entityType: "user",
        entityId: user.id,
        before,
        after: auditView(user),
      });
      return user;
    });
  }

  /** Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD when there is no user at all. */
  async ensureFirstAdmin(email: string, password: string): Promise<UserEntity | null> {
    const repo = this.dataSource.getRepository(UserEntity);
    if ((await repo.count()) > 0) return null;
    const created = await this.create(
      { email, name: "Administrator", password, role: "ADMIN" },
      { type: "system", id: null, label: "bootstrap" },
    );
    if (Array.isArray(created))
      throw new Error(`cannot create the first admin: ${created.map((e) => e.message).join("; ")}`);
    return created;
  }
}
