import jwt from "jsonwebtoken";
import type { Role } from "../users/user.entity";

export interface SessionClaims {
  /** User id. */
  sub: string;
  role: Role;
}

const ISSUER = "valuetier";

/** Signs a session token (HS256) for a user. */
export function signSessionToken(
  claims: SessionClaims,
  secret: string,
  ttlSeconds: number,
): string {
  return jwt.sign({ role: claims.role }, secret, {
    algorithm: "HS256",
    subject: claims.sub,
    issuer: ISSUER,
    expiresIn: ttlSeconds,
  });
}

/** Verifies a session token; null when it is invalid or expired. */
export function verifySessionToken(token: string, secret: string): SessionClaims | null {
  try {
    const payload = jwt.verify(token, secret, { algorithms: ["HS256"], issuer: ISSUER });
    if (typeof payload === "string" || typeof payload.sub !== "string") return null;
    return { sub: payload.sub, role: payload.role as Role };
  } catch {
    return null;
  }
}
