import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../config";

// NODE_ENV=Production used to start the server in development mode without a word
// (introspection on, stack traces in responses).

const base = {
  DATA_DIR: mkdtempSync(path.join(tmpdir(), "vt-config-")),
  JWT_SECRET: "s".repeat(32),
};

describe("NODE_ENV", () => {
  it("selects production in any case, spaces around it ignored", () => {
    for (const value of ["production", "Production", "PRODUCTION", " production "]) {
      expect(loadConfig({ ...base, NODE_ENV: value }).production, value).toBe(true);
    }
  });

  it("is development when unset, empty, development or test", () => {
    for (const value of [undefined, "", "development", "Development", "test"]) {
      expect(loadConfig({ ...base, NODE_ENV: value }).production, String(value)).toBe(false);
    }
  });

  it("refuses any other value and says which are allowed", () => {
    for (const value of ["prod", "staging", "productio"]) {
      const load = () => loadConfig({ ...base, NODE_ENV: value });
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(
        `NODE_ENV must be one of production, development, test (any case), got "${value}"`,
      );
    }
  });

  it("still needs JWT_SECRET in production, however it is spelt", () => {
    expect(() => loadConfig({ DATA_DIR: base.DATA_DIR, NODE_ENV: "Production" })).toThrow(
      "JWT_SECRET is required when NODE_ENV=production",
    );
  });
});

describe("TRUST_PROXY", () => {
  it("trusts no proxy unless told, and reads hops or addresses", () => {
    expect(loadConfig(base).trustProxy).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: "false" }).trustProxy).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(loadConfig({ ...base, TRUST_PROXY: "loopback, 10.0.0.0/8" }).trustProxy).toBe(
      "loopback, 10.0.0.0/8",
    );
  });

  it("refuses anything else", () => {
    expect(() => loadConfig({ ...base, TRUST_PROXY: "yes please!" })).toThrow(
      /TRUST_PROXY must be false, true, a number of proxies/,
    );
  });
});

describe(".env", () => {
  it("is read into the environment at start-up, without overriding what is already set", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vt-dotenv-"));
    writeFileSync(path.join(dir, ".env"), "DEFAULT_CURRENCY=EUR\nPORT=4999\n");
    const saved = { cwd: process.cwd(), env: { ...process.env } };
    try {
      process.chdir(dir);
      process.env.PORT = "4321";
      process.env.DATA_DIR = dir;
      delete process.env.DEFAULT_CURRENCY;
      const config = loadConfig();
      expect({ currency: config.defaultCurrency, port: config.port }).toEqual({
        currency: "EUR",
        port: 4321,
      });
    } finally {
      process.chdir(saved.cwd);
      for (const key of Object.keys(process.env)) {
        if (!(key in saved.env)) delete process.env[key];
      }
      Object.assign(process.env, saved.env);
    }
  });
});
