import jwt from "jsonwebtoken";

export interface SessionClaims {
  /** User id. */
  sub: string;
  /** Session id (the `sessions` row), carried as the JWT's jti. */
  sid: string;
}

const ISSUER = "valuetier";

/**
 * Signs a session token (HS256). The token only names the session: whether it still counts
 * (not revoked, not expired, user not disabled) is read from the database on every request.
 */
export function signSessionToken(
  claims: SessionClaims,
  secret: string,
  ttlSeconds: number,
): string {
  return jwt.sign({}, secret, {
    algorithm: "HS256",
    subject: claims.sub,
    jwtid: claims.sid,
    issuer: ISSUER,
    expiresIn: ttlSeconds,
  });
}

/** Verifies a session token; null when it is invalid, expired or has no session id. */
export function verifySessionToken(token: string, secret: string): SessionClaims | null {
  try {
    const payload = jwt.verify(token, secret, { algorithms: ["HS256"], issuer: ISSUER });
    if (typeof payload === "string" || typeof payload.sub !== "string") return null;
    if (typeof payload.jti !== "string" || payload.jti === "") return null;
    return { sub: payload.sub, sid: payload.jti };
  } catch {
    return null;
  }
}
