import "reflect-metadata";
import { existsSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import { GraphQLError } from "graphql";
import type { DataSource } from "typeorm";
import type { AppConfig } from "./config";
import type { GraphQLContext } from "./graphql/context";
import { documentGuard, queryLimitsPlugin } from "./graphql/limits";
import { createLoaders } from "./graphql/loaders";
import { getSchema } from "./graphql/schema";
import { authenticate, AuthenticationError } from "./modules/auth/authenticate";
import { recoverAbandonedScoringRuns, stopScoringJobs } from "./modules/value/scoring-jobs";

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
): Promise<RunningServer> {
  const valueOptions = {
    currency: config.defaultCurrency,
    defaultMarginRate: config.defaultMarginRate,
  };
  await recoverAbandonedScoringRuns(dataSource, valueOptions, log);
  const app = express();
  app.disable("x-powered-by");
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
    introspection: true,
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
      // in their message; a stack trace would only hide it.
      if (!formatted.extensions?.stacktrace) return formatted;
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions;
      return { ...formatted, extensions };
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
            loaders: createLoaders(dataSource),
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

  const address = http.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    async close() {
      await stopScoringJobs(dataSource);
      await apollo.stop();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
