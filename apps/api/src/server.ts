import "reflect-metadata";
import { existsSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { GraphQLError } from "graphql";
import type { DataSource } from "typeorm";
import type { AppConfig } from "./config";
import { createServices } from "./composition";
import { campaignScheduleTrigger } from "./modules/campaigns/campaign-scheduler";
import type { GraphQLContext } from "./graphql/context";
import { documentGuard, queryLimitsPlugin } from "./graphql/limits";
import { createLoaders } from "./graphql/loaders";
import { getSchema } from "./graphql/schema";
import { authenticate, AuthenticationError } from "./modules/auth/authenticate";
import { exportRouter } from "./modules/export/export.router";
import { startApiJobs, type ApiJobsOptions } from "./modules/jobs/api-jobs";

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The HTTP server: GraphQL at /graphql, a health check at /healthz and the built admin app at /
 * (with history-mode fallback to index.html). The data source must be initialised.
 */
export async function startServer(
  config: AppConfig,
  dataSource: DataSource,
  log = console,
  options: { jobs?: ApiJobsOptions } = {},
): Promise<RunningServer> {
  // The job runner (scoring and the schedule): jobs left by a stopped process are recovered.
  const jobs = await startApiJobs(dataSource, config, log, options.jobs);
  const services = createServices(dataSource, config);
  // Scheduled campaigns start and end on time (the campaign-scheduler job).
  jobs.triggers.add(campaignScheduleTrigger(jobs.runner, services.campaigns, { log }));
  const app = express();
  app.disable("x-powered-by");
  // No ETag on API answers (GraphQL POSTs are never revalidated; hashing each body costs CPU).
  // Static admin files keep theirs: express.static sets its own.
  app.set("etag", false);
  app.set("trust proxy", config.trustProxy);
  app.use(securityHeaders(config.production));
  const http: Server = await new Promise((resolve) => {
    const server = app.listen(config.port, config.host, () => resolve(server));
  });
  const schema = await getSchema();
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    // Checked again here for any caller that reaches Apollo without documentGuard.
    parseOptions: { maxTokens: config.maxQueryTokens },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: http }),
      queryLimitsPlugin(schema, {
        maxDepth: config.maxQueryDepth,
        maxCost: config.maxQueryCost,
        maxResponseFields: config.maxResponseFields,
        apiKeyBudget: config.apiKeyBudget,
        anonymousBudget: config.anonymousBudget,
      }),
    ],
    // In production the schema is not shown to callers: no introspection (the SDL is published
    // as apps/api/schema.graphql) and no "Did you mean …" suggestions in errors.
    introspection: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    // main.ts owns SIGINT/SIGTERM: Apollo's own handler re-raises the signal after stopping,
    // which main's handler then swallows, and the process stays up with its pool open.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: !config.production,
    formatError: (formatted, error) => {
      const code = formatted.extensions?.code;
      if (code === "INTERNAL_SERVER_ERROR") {
        log.error(error);
        if (config.production)
          return { message: "internal error: see the server log", extensions: { code } };
        return formatted;
      }
      // Expected errors (bad credentials, missing permission, invalid input) say what is wrong
      // in their message; a stack trace would only hide it, and the caller's own input is
      // echoed at most in part (a megabyte variable must not come back in the error).
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return {
        ...formatted,
        message: shortenEchoes(formatted.message),
        extensions: withoutEchoedInput(extensions),
      };
    },
  });
  await apollo.start();

  app.get("/healthz", async (_req, res) => {
    try {
      await dataSource.query("SELECT 1");
      res.json({ status: "ok" });
    } catch (error) {
      res
        .status(503)
        .json({ status: "error", message: error instanceof Error ? error.message : String(error) });
    }
  });

  app.use(
    "/graphql",
    requireJsonBody,
    express.json({ limit: "5mb" }),
    documentGuard({
      maxBytes: config.maxQueryBytes,
      maxTokens: config.maxQueryTokens,
      maxAliases: config.maxQueryAliases,
    }),
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<GraphQLContext> => {
        try {
          const principal = await authenticate(
            dataSource,
            req.headers.authorization,
            config.jwtSecret,
          );
          return {
            principal,
            dataSource,
            config,
            loaders: createLoaders(dataSource, services),
            services,
            clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
          };
        } catch (error) {
          if (error instanceof AuthenticationError) {
            throw new GraphQLError(error.message, {
              extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
            });
          }
          throw error;
        }
      },
    }),
  );

  app.use("/export", exportRouter(dataSource, services, config));

  const indexHtml = path.join(config.adminDistDir, "index.html");
  if (existsSync(indexHtml)) {
    app.use(express.static(config.adminDistDir, { index: false, maxAge: "1h" }));
    app.get(/^\/(?!graphql|healthz).*/, (_req, res) => res.sendFile(indexHtml, { maxAge: 0 }));
  } else {
    app.get("/", (_req, res) =>
      res
        .type("text/plain")
        .send(
          `The admin app is not built (${indexHtml} is missing): run "npm run build". GraphQL is at /graphql.`,
        ),
    );
  }
  app.use(jsonErrors(log));

  const address = http.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    async close() {
      // Apollo's drain closes the HTTP server (requests under way get a grace period), so no
      // new scoring run can start while this process's runs are being stopped.
      await apollo.stop();
      // http.close() on a server already closed calls back only on a 'close' event that has
      // already fired, that is never: only close what the drain left open.
      if (http.listening) await new Promise<void>((resolve) => http.close(() => resolve()));
      await jobs.close();
    },
  };
}

/**
 * Headers for every response. The built admin loads only its own scripts; naive-ui writes its
 * styles into <style> elements at run time, hence 'unsafe-inline' for styles only; charts draw
 * on canvas, and the favicon is a data: URL. In development, GET /graphql is Apollo's sandbox
 * page, which loads from Apollo's CDN, so it goes without a CSP there.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

function securityHeaders(production: boolean): RequestHandler {
  return (req, res, next) => {
    if (production || !(req.method === "GET" && req.path.startsWith("/graphql"))) {
      res.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    }
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "no-referrer");
    next();
  };
}

function graphqlError(status: number, code: string, message: string) {
  return { status, body: { errors: [{ message, extensions: { code } }] } };
}

/**
 * POST /graphql takes JSON. Other bodies would reach Apollo unparsed (a 500 "forgot the json
 * middleware") or be read as form data; an empty body and the CSRF-safe types are left to
 * Apollo, whose CSRF check answers them with its own 400.
 */
const requireJsonBody: RequestHandler = (req, res, next) => {
  const type = req.headers["content-type"];
  if (req.method !== "POST" || !type || req.is("application/json")) return next();
  if (/^\s*(text\/plain|application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) {
    return next();
  }
  const { status, body } = graphqlError(
    400,
    "BAD_REQUEST",
    `POST /graphql takes a JSON body with content-type: application/json, not "${shortenEchoes(type, 100)}"`,
  );
  res.status(status).json(body);
};

/**
 * Errors that reach express (unreadable or oversized bodies, a static file that cannot be
 * read) answered as GraphQL-style JSON with a code, instead of express's HTML page and the stack
 * trace it logs. Client errors are not logged; anything else is, in one line.
 */
function jsonErrors(log: Pick<Console, "error">): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const e = error as { status?: unknown; type?: unknown; message?: unknown };
    const status =
      typeof e.status === "number" && e.status >= 400 && e.status < 600 ? e.status : 500;
    let answer;
    if (e.type === "entity.too.large") {
      answer = graphqlError(413, "PAYLOAD_TOO_LARGE", "the request body is larger than 5 MB");
    } else if (e.type === "entity.parse.failed") {
      answer = graphqlError(
        400,
        "BAD_REQUEST",
        `the request body is not valid JSON: ${shortenEchoes(String(e.message), 100)}`,
      );
    } else if (status < 500) {
      answer = graphqlError(
        status,
        "BAD_REQUEST",
        shortenEchoes(String(e.message ?? "bad request"), 200),
      );
    } else {
      log.error(
        `${req.method} ${req.path}: ${error instanceof Error ? error.message : String(error)}`,
      );
      answer = graphqlError(500, "INTERNAL_SERVER_ERROR", "internal error: see the server log");
    }
    res.status(answer.status).json(answer.body);
  };
}

/** Longest part of a caller's input quoted back in an error message, and longest message. */
const MAX_ECHO = 200;
const MAX_MESSAGE = 1000;

/**
 * `message` with every double-quoted part longer than `maxEcho` cut short (graphql quotes the
 * variable values it rejects), and the whole at most MAX_MESSAGE characters. One pass, no
 * regular expression, so a megabyte message costs a megabyte of scanning and no more.
 */
export function shortenEchoes(message: string, maxEcho = MAX_ECHO): string {
  if (message.length <= maxEcho) return message;
  let out = "";
  let i = 0;
  while (i < message.length && out.length <= MAX_MESSAGE) {
    const open = message.indexOf('"', i);
    if (open < 0) {
      out += message.slice(i);
      break;
    }
    let close = open + 1;
    while (close < message.length && message[close] !== '"')
      close += message[close] === "\\" ? 2 : 1;
    const quoted = message.slice(open + 1, Math.min(close, message.length));
    out += message.slice(i, open + 1);
    out +=
      quoted.length > maxEcho
        ? `${quoted.slice(0, maxEcho)}… (${quoted.length} characters)`
        : quoted;
    if (close < message.length) out += '"';
    i = close + 1;
  }
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE)}…` : out;
}

interface EchoedValidationError {
  property?: unknown;
  constraints?: unknown;
  children?: unknown;
}

/**
 * type-graphql's argument validation errors carry the rejected value and the whole input
 * object (`value`, `target`); only which property broke which constraint goes back.
 */
function withoutEchoedInput(extensions: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(extensions.validationErrors)) return extensions;
  const strip = (errors: EchoedValidationError[]): unknown[] =>
    errors.map(({ property, constraints, children }) => ({
      property,
      constraints,
      ...(Array.isArray(children) && children.length > 0
        ? { children: strip(children as EchoedValidationError[]) }
        : {}),
    }));
  return {
    ...extensions,
    validationErrors: strip(extensions.validationErrors as EchoedValidationError[]),
  };
}
