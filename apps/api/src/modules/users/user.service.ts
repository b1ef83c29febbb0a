import { keysetPage, type KeysetOrder, type Page } from "../../db/keyset";
import type { DataSource } from "typeorm";
import { driverOf } from "../../db/data-source";
import { runInTransaction } from "../../db/transaction";
import { problem, type Problem } from "../../errors/domain-error";
import { recordAudit, type Actor } from "../audit/audit.service";
import { LoginThrottle } from "../auth/login-throttle";
import { hashPassword, verifyPassword } from "../auth/password";
import { createSession, revokeSession, revokeUserSessions } from "../auth/sessions";
import { signSessionToken } from "../auth/tokens";
import { cleanDisplayName } from "../../errors/display-name";
import { UserEntity, type Role } from "./user.entity";

// Control characters are refused too: an email is shown in the admin and the audit log.
// eslint-disable-next-line no-control-regex
const EMAIL = /^[^\s@\u0000-\u001f\u007f]+@[^\s@\u0000-\u001f\u007f]+\.[^\s@\u0000-\u001f\u007f]+$/;
export const MIN_PASSWORD_LENGTH = 8;
/** Longest email and password a login checks; longer ones cannot belong to any user. */
const MAX_EMAIL_LENGTH = 254;
const MAX_PASSWORD_LENGTH = 200;
const USER_NAME_MAX_LENGTH = 255;

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

export interface LoginOptions {
  jwtSecret: string;
  ttlSeconds: number;
  /** The caller's address: attempts are limited per address as well as per email. */
  clientIp: string;
}

export type LoginResult =
  { token: string; user: UserEntity } | { userError: Problem; retryAfterSeconds: number | null };

const anonymousAt = (clientIp: string): Actor => ({
  type: "system",
  id: null,
  label: `anonymous (${clientIp})`,
});

const USERS_BY_ID: KeysetOrder<UserEntity> = {
  name: "users:id:ASC",
  column: null,
  idColumn: "u.id",
  direction: "ASC",
  id: (user) => user.id,
  cursorValue: () => null,
};

export class UserService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Exchanges email and password for a session token. Attempts are limited per email and per
   * client address (see auth/login-throttle.ts); a refused attempt runs no password hash and
   * says how long to wait, whether or not the email exists. Every attempt is audited, with
   * the email and address but never the password.
   */
  async login(email: string, password: string, options: LoginOptions): Promise<LoginResult> {
    const normalized = email.trim().toLowerCase();
    const subject = normalized.slice(0, MAX_EMAIL_LENGTH);
    const clientIp = options.clientIp.slice(0, 254);
    const throttle = new LoginThrottle(this.dataSource);
    const gate = await throttle.charge(subject, clientIp);
    if (!gate.allowed) {
      await recordAudit(this.dataSource.manager, anonymousAt(clientIp), {
        action: "user.login_refused",
        entityType: "user",
        after: { email: subject, clientIp, retryAfterSeconds: gate.retryAfterSeconds },
      });
      return {
        userError: problem(
          null,
          "TOO_MANY_ATTEMPTS",
          `too many failed logins for this email or from this address: try again in ${gate.retryAfterSeconds} s`,
        ),
        retryAfterSeconds: gate.retryAfterSeconds,
      };
    }
    const plausible =
      normalized.length <= MAX_EMAIL_LENGTH && password.length <= MAX_PASSWORD_LENGTH;
    const user = plausible
      ? await this.dataSource.getRepository(UserEntity).findOne({ where: { email: normalized } })
      : null;
    let ok = false;
    if (plausible) {
      ok = await verifyPassword(
        password,
        user ? user.passwordHash : await (dummyHash ??= hashPassword("not-a-password")),
      );
    }
    if (!user || !ok || user.disabledAt) {
      await recordAudit(this.dataSource.manager, anonymousAt(clientIp), {
        action: "user.login_failed",
        entityType: "user",
        entityId: user?.id ?? null,
        after: {
          email: subject,
          clientIp,
          reason: user && ok ? "user disabled" : "wrong email or password",
        },
      });
      return {
        userError:
          user && ok
            ? problem(null, "USER_DISABLED", "this user has been disabled")
            : problem(null, "INVALID_CREDENTIALS", "email or password is not correct"),
        retryAfterSeconds: null,
      };
    }
    return runInTransaction(this.dataSource, async (manager) => {
      const now = new Date();
      await throttle.succeeded(manager, subject, clientIp);
      await manager.update(UserEntity, { id: user.id }, { lastLoginAt: now });
      const session = await createSession(manager, user.id, options.ttlSeconds, now);
      await recordAudit(
        manager,
        { type: "user", id: user.id, label: user.email },
        {
          action: "user.login",
          entityType: "user",
          entityId: user.id,
          after: { email: user.email, clientIp },
        },
      );
      const token = signSessionToken(
        { sub: String(user.id), sid: session.id },
        options.jwtSecret,
        options.ttlSeconds,
      );
      return { token, user: Object.assign(user, { lastLoginAt: now }) };
    });
  }

  /** Ends the caller's session; false when it had already ended. */
  async logout(sessionId: string, actor: Actor): Promise<boolean> {
    return runInTransaction(this.dataSource, async (manager) => {
      const revoked = await revokeSession(manager, sessionId);
      if (revoked && actor.type === "user") {
        await recordAudit(manager, actor, {
          action: "user.logout",
          entityType: "user",
          entityId: actor.id,
        });
      }
      return revoked;
    });
  }

  async create(
    input: { email: string; name?: string | null; password: string; role: Role },
    actor: Actor,
  ): Promise<UserEntity | Problem[]> {
    const email = input.email.trim().toLowerCase();
    const errors: Problem[] = [];
    if (!EMAIL.test(email) || email.length > MAX_EMAIL_LENGTH)
      errors.push(
        problem(
          "input.email",
          "INVALID_EMAIL",
          `${JSON.stringify(input.email)} is not an email address`,
        ),
      );
    const name = cleanDisplayName(input.name ?? "", "input.name", USER_NAME_MAX_LENGTH);
    if (typeof name !== "string") errors.push(name);
    if (input.password.length < MIN_PASSWORD_LENGTH) {
      errors.push(
        problem(
          "input.password",
          "PASSWORD_TOO_SHORT",
          `password must have at least ${MIN_PASSWORD_LENGTH} characters`,
        ),
      );
    } else if (input.password.length > MAX_PASSWORD_LENGTH) {
      errors.push(
        problem(
          "input.password",
          "PASSWORD_TOO_LONG",
          `password must have at most ${MAX_PASSWORD_LENGTH} characters`,
        ),
      );
    }
    if (errors.length || typeof name !== "string") return errors;
    const passwordHash = await hashPassword(input.password);
    return runInTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(UserEntity);
      if (await repo.exists({ where: { email } })) {
        return [problem("input.email", "EMAIL_TAKEN", `a user with email ${email} already exists`)];
      }
      const user = await repo.save(
        repo.create({
          email,
          name,
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

  /**
   * Changes a user's name or role, or disables or re-enables them. Disabling ends the user's
   * sessions, so re-enabling them later does not bring an old token back.
   *
   * Taking away the last active admin is refused (LAST_ADMIN). The check and the write happen
   * under row locks on every active admin, taken in id order, so that two admins demoting or
   * disabling each other at the same moment cannot both pass the check; a deadlock or lock
   * timeout runs the whole transaction again.
   */
  async update(
    input: { id: string; name?: string | null; role?: Role | null; disabled?: boolean | null },
    actor: Actor,
  ): Promise<UserEntity | Problem[]> {
    const name =
      input.name == null ? null : cleanDisplayName(input.name, "input.name", USER_NAME_MAX_LENGTH);
    if (name !== null && typeof name !== "string") return [name];
    const id = Number(input.id);
    if (!Number.isSafeInteger(id))
      return [problem("input.id", "NOT_FOUND", `no user with id ${input.id}`)];
    const mysql = driverOf(this.dataSource) === "mysql";
    const mayTakeAdmin = (input.role != null && input.role !== "ADMIN") || input.disabled === true;
    return runInTransaction(this.dataSource, async (manager) => {
      let activeAdmins: number[] = [];
      if (mayTakeAdmin) {
        // Locking reads see the latest committed rows, not the transaction's snapshot, and
        // hold them until commit; SQLite's single connection already runs one writer at a time.
        const rows = (await manager.query(
          `SELECT id FROM users WHERE role = 'ADMIN' AND disabled_at IS NULL ORDER BY id${mysql ? " FOR UPDATE" : ""}`,
        )) as { id: number | string }[];
        activeAdmins = rows.map((row) => Number(row.id));
      }
      const qb = manager.getRepository(UserEntity).createQueryBuilder("u").where("u.id = :id", {
        id,
      });
      if (mysql) qb.setLock("pessimistic_write");
      const user = await qb.getOne();
      if (!user) return [problem("input.id", "NOT_FOUND", `no user with id ${input.id}`)];
      const before = auditView(user);
      const wasActive = user.disabledAt === null;
      const losesAdmin = mayTakeAdmin && user.role === "ADMIN" && wasActive;
      if (losesAdmin && activeAdmins.every((adminId) => adminId === user.id)) {
        return [
          problem(
            input.disabled === true ? "input.disabled" : "input.role",
            "LAST_ADMIN",
            "this is the last active admin: make another admin first",
          ),
        ];
      }
      if (name !== null) user.name = name;
      if (input.role != null) user.role = input.role;
      if (input.disabled != null)
        user.disabledAt = input.disabled ? (user.disabledAt ?? new Date()) : null;
      await manager.getRepository(UserEntity).save(user);
      if (wasActive && user.disabledAt !== null) await revokeUserSessions(manager, user.id);
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

  /**
   * The operator's way back in (`valuetier admin enable`): re-enables the user with this email,
   * makes them an admin and clears their failed-login count.
   */
  async restoreAdmin(email: string, actor: Actor): Promise<UserEntity | Problem[]> {
    const normalized = email.trim().toLowerCase();
    return runInTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(UserEntity);
      const user = await repo.findOne({ where: { email: normalized } });
      if (!user) {
        return [
          problem(
            "email",
            "NOT_FOUND",
            `no user with email ${JSON.stringify(normalized)}; create one with "valuetier admin create"`,
          ),
        ];
      }
      const before = auditView(user);
      user.role = "ADMIN";
      user.disabledAt = null;
      await repo.save(user);
      await LoginThrottle.resetEmail(manager, normalized);
      await recordAudit(manager, actor, {
        action: "user.restore_admin",
        entityType: "user",
        entityId: user.id,
        before,
        after: auditView(user),
      });
      return user;
    });
  }

  /** Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD when there is no user at all. */
  /** One page of users in id order, with their total counted on demand. */
  async list(
    first: number,
    after: string | null | undefined,
  ): Promise<{ page: Page<UserEntity>; countTotal: () => Promise<number> }> {
    const query = () => this.dataSource.getRepository(UserEntity).createQueryBuilder("u");
    return {
      page: await keysetPage(query(), USERS_BY_ID, first, after),
      countTotal: () => query().getCount(),
    };
  }

  /** The user with this id, or null. */
  findById(id: number): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOne({ where: { id } });
  }

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
