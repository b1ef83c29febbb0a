import type { DataSource, EntityManager } from "typeorm";
import { cleanDisplayName } from "../../errors/display-name";
import { problem, type Problem } from "../../errors/domain-error";
import { keysetPage, type KeysetOrder, type Page } from "../../db/keyset";
import { runInTransaction } from "../../db/transaction";
import { recordAudit, type Actor } from "../audit/audit.service";
import { WebhookDeliveryEntity, type WebhookDeliveryStatus } from "./webhook-delivery.entity";
import { WebhookEndpointEntity } from "./webhook-endpoint.entity";
import { WebhookEventEntity } from "./webhook-event.entity";
import {
  isWebhookEventType,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from "./webhook-event-types";
import { newWebhookSecret } from "./webhook-signature";

export interface WebhookEndpointInput {
  url?: string | null;
  events?: string[] | null;
  description?: string | null;
  active?: boolean | null;
}

const URL_MAX_LENGTH = 2000;
const DESCRIPTION_MAX_LENGTH = 200;

/** The subscribed types of an endpoint row. */
export function endpointEvents(endpoint: WebhookEndpointEntity): WebhookEventType[] {
  return endpoint.events.split(",").filter(isWebhookEventType);
}

const auditView = (endpoint: WebhookEndpointEntity) => ({
  id: endpoint.id,
  url: endpoint.url,
  description: endpoint.description,
  events: endpointEvents(endpoint),
  active: endpoint.active === 1,
});

const NEWEST_FIRST: KeysetOrder<WebhookDeliveryEntity> = {
  name: "webhook_deliveries:id:DESC",
  column: null,
  idColumn: "d.id",
  direction: "DESC",
  id: (d) => d.id,
  cursorValue: () => null,
};

/** Checks a URL an admin gives: http or https, a host, no user name or password in it. */
function checkUrl(raw: string, field: string): string | Problem {
  const text = raw.trim();
  if (text.length === 0) return problem(field, "REQUIRED", "give the URL that receives the events");
  if (text.length > URL_MAX_LENGTH) {
    return problem(
      field,
      "TOO_LONG",
      `the URL has ${text.length} characters; at most ${URL_MAX_LENGTH}`,
    );
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return problem(
      field,
      "INVALID_URL",
      `"${text.slice(0, 80)}" is not a URL such as https://example.com/hooks`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return problem(
      field,
      "INVALID_URL",
      `the URL must start with https:// or http://, not ${url.protocol}//`,
    );
  }
  if (url.username || url.password) {
    return problem(
      field,
      "INVALID_URL",
      "the URL must not hold a user name or password; the signature authenticates us",
    );
  }
  if (url.hash) return problem(field, "INVALID_URL", "the URL must not have a #fragment");
  return url.toString();
}

/** Checks a list of event types: at least one, each known; duplicates dropped. */
function checkEvents(raw: string[], field: string): WebhookEventType[] | Problem[] {
  const problems: Problem[] = [];
  raw.forEach((type, i) => {
    if (!isWebhookEventType(type)) {
      problems.push(
        problem(
          `${field}.${i}`,
          "UNKNOWN_EVENT",
          `"${type}" is not an event; use ${WEBHOOK_EVENT_TYPES.join(", ")}`,
        ),
      );
    }
  });
  if (problems.length) return problems;
  if (raw.length === 0) return [problem(field, "REQUIRED", "subscribe to at least one event")];
  return WEBHOOK_EVENT_TYPES.filter((type) => raw.includes(type));
}

/**
 * Webhook endpoints (made, changed, disabled, deleted by admins, each audited), the delivery
 * log, and redelivery by hand. The sending itself is the delivery job's (WebhookDeliverer).
 */
export class WebhookService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  listEndpoints(): Promise<WebhookEndpointEntity[]> {
    return this.dataSource.getRepository(WebhookEndpointEntity).find({ order: { id: "ASC" } });
  }

  /** Makes an endpoint; its secret is returned here and never again. */
  async createEndpoint(
    input: WebhookEndpointInput,
    actor: Actor,
  ): Promise<{ endpoint: WebhookEndpointEntity; secret: string } | Problem[]> {
    const checked = this.check({ ...input, url: input.url ?? "", events: input.events ?? [] });
    if (Array.isArray(checked)) return checked;
    const secret = newWebhookSecret();
    return runInTransaction(this.dataSource, async (manager) => {
      const now = this.clock();
      const repo = manager.getRepository(WebhookEndpointEntity);
      const endpoint = repo.create({
        url: checked.url!,
        description: checked.description ?? "",
        events: `,${checked.events!.join(",")},`,
        secret,
        active: input.active === false ? 0 : 1,
        disabledAt: input.active === false ? now : null,
        createdBy: actor.label.slice(0, 254),
        createdAt: now,
        updatedAt: now,
      });
      await repo.insert(endpoint);
      await recordAudit(manager, actor, {
        action: "webhook_endpoint.create",
        entityType: "webhook_endpoint",
        entityId: endpoint.id,
        after: auditView(endpoint),
      });
      return { endpoint, secret };
    });
  }

  /** Changes an endpoint's URL, events, description or active flag (what the input gives). */
  async updateEndpoint(
    id: number,
    input: WebhookEndpointInput,
    actor: Actor,
  ): Promise<WebhookEndpointEntity | Problem[]> {
    const checked = this.check(input);
    if (Array.isArray(checked)) return checked;
    return runInTransaction(this.dataSource, async (manager) => {
      const endpoint = await this.find(manager, id);
      if (!endpoint) return [problem("id", "NOT_FOUND", `no webhook endpoint with id ${id}`)];
      const before = auditView(endpoint);
      if (checked.url !== undefined) endpoint.url = checked.url;
      if (checked.events !== undefined) endpoint.events = `,${checked.events.join(",")},`;
      if (checked.description !== undefined) endpoint.description = checked.description;
      const now = this.clock();
      if (input.active === false && endpoint.active === 1) {
        endpoint.active = 0;
        endpoint.disabledAt = now;
      } else if (input.active === true) {
        endpoint.active = 1;
      }
      endpoint.updatedAt = now;
      await manager.getRepository(WebhookEndpointEntity).save(endpoint);
      await recordAudit(manager, actor, {
        action: "webhook_endpoint.update",
        entityType: "webhook_endpoint",
        entityId: id,
        before,
        after: auditView(endpoint),
      });
      return endpoint;
    });
  }

  /** Deletes an endpoint and its deliveries (events stay for other endpoints). */
  async deleteEndpoint(id: number, actor: Actor): Promise<WebhookEndpointEntity | Problem[]> {
    return runInTransaction(this.dataSource, async (manager) => {
      const endpoint = await this.find(manager, id);
      if (!endpoint) return [problem("id", "NOT_FOUND", `no webhook endpoint with id ${id}`)];
      await manager.getRepository(WebhookDeliveryEntity).delete({ endpointId: id });
      await manager.getRepository(WebhookEndpointEntity).delete({ id });
      await recordAudit(manager, actor, {
        action: "webhook_endpoint.delete",
        entityType: "webhook_endpoint",
        entityId: id,
        before: auditView(endpoint),
      });
      return endpoint;
    });
  }

  /** A page of deliveries, newest first, of one endpoint and/or one status. */
  async deliveries(
    filter: { endpointId?: number | null; status?: WebhookDeliveryStatus | null },
    first: number,
    after: string | null | undefined,
  ): Promise<{ page: Page<WebhookDeliveryEntity>; countTotal: () => Promise<number> }> {
    const query = () => {
      const qb = this.dataSource.getRepository(WebhookDeliveryEntity).createQueryBuilder("d");
      if (filter.endpointId)
        qb.andWhere("d.endpoint_id = :endpointId", { endpointId: filter.endpointId });
      if (filter.status) qb.andWhere("d.status = :status", { status: filter.status });
      return qb;
    };
    return {
      page: await keysetPage(query(), NEWEST_FIRST, first, after),
      countTotal: () => query().getCount(),
    };
  }

  /** The events of some deliveries, by id (one query). */
  async events(ids: readonly number[]): Promise<Map<number, WebhookEventEntity>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource
      .getRepository(WebhookEventEntity)
      .createQueryBuilder("e")
      .where("e.id IN (:...ids)", { ids: [...new Set(ids)] })
      .getMany();
    return new Map(rows.map((e) => [e.id, e]));
  }

  /**
   * Sends a delivery again, by hand: one new attempt as soon as the delivery job runs (within
   * seconds), whatever its status. A delivered or failed one gets exactly one attempt (no
   * automatic retries after it); a pending one is simply made due now.
   */
  async redeliver(id: number, actor: Actor): Promise<WebhookDeliveryEntity | Problem[]> {
    return runInTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(WebhookDeliveryEntity);
      const delivery = await repo.findOneBy({ id });
      if (!delivery) return [problem("id", "NOT_FOUND", `no webhook delivery with id ${id}`)];
      const endpoint = await this.find(manager, delivery.endpointId);
      if (!endpoint?.active) {
        return [
          problem(
            "id",
            "ENDPOINT_DISABLED",
            "the delivery's endpoint is disabled; enable it first",
          ),
        ];
      }
      const now = this.clock();
      const set =
        delivery.status === "pending"
          ? { nextAttemptAt: now }
          : { status: "pending" as const, manualRetry: 1, nextAttemptAt: now };
      await repo.update({ id }, set);
      await recordAudit(manager, actor, {
        action: "webhook_delivery.redeliver",
        entityType: "webhook_delivery",
        entityId: id,
        before: { status: delivery.status, attempts: delivery.attempts },
      });
      return repo.findOneByOrFail({ id });
    });
  }

  private find(manager: EntityManager, id: number): Promise<WebhookEndpointEntity | null> {
    return manager.getRepository(WebhookEndpointEntity).findOneBy({ id });
  }

  private check(
    input: WebhookEndpointInput,
  ): { url?: string; events?: WebhookEventType[]; description?: string } | Problem[] {
    const problems: Problem[] = [];
    const out: { url?: string; events?: WebhookEventType[]; description?: string } = {};
    if (input.url !== undefined && input.url !== null) {
      const url = checkUrl(input.url, "input.url");
      if (typeof url === "string") out.url = url;
      else problems.push(url);
    }
    if (input.events !== undefined && input.events !== null) {
      const events = checkEvents(input.events, "input.events");
      if (events.length > 0 && typeof events[0] === "string")
        out.events = events as WebhookEventType[];
      else problems.push(...(events as Problem[]));
    }
    if (input.description !== undefined && input.description !== null) {
      const description = cleanDisplayName(
        input.description,
        "input.description",
        DESCRIPTION_MAX_LENGTH,
      );
      if (typeof description === "string") out.description = description;
      else problems.push(description);
    }
    return problems.length ? problems : out;
  }
}
