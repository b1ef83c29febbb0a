import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../../testing/test-server";
import { systemActor } from "../audit/audit.service";
import { WebhookService } from "./webhook.service";

// campaign.started and campaign.ended come from the campaigns module's transitions, in their
// transactions: a launch starts (a resume does not start again), an end after running ends;
// cancelling a scheduled campaign announces nothing.

const CREATE = `mutation($input: CreateCampaignInput!) {
  createCampaign(input: $input) { campaign { id } userErrors { field code message } } }`;
const move = (name: string) => `mutation($id: ID!) {
  ${name}(id: $id) { campaign { id status } userErrors { code message } } }`;

describe("campaign events (MySQL)", () => {
  let api: TestApi;
  let admin: string;

  const gql = async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const res = await api.gql<T>(query, variables, admin);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!;
  };
  const create = async (name: string, startsAt?: string) => {
    const made = await gql<{
      createCampaign: { campaign: { id: string } | null; userErrors: unknown[] };
    }>(CREATE, {
      input: {
        name,
        audience: { tierKeys: ["high"] },
        offer: { bonusPoints: 10 },
        ...(startsAt ? { startsAt } : {}),
      },
    });
    expect(made.createCampaign.userErrors).toEqual([]);
    return made.createCampaign.campaign!.id;
  };
  const act = async (name: string, id: string) => {
    const out = (await gql<Record<string, { userErrors: unknown[] }>>(move(name), { id }))[name]!;
    expect(out.userErrors, name).toEqual([]);
  };
  const events = async () => {
    const rows: { type: string; event_key: string; payload_json: string }[] =
      await api.db.dataSource.query(
        "SELECT type, event_key, payload_json FROM webhook_events ORDER BY id",
      );
    return rows.map((r) => ({
      type: r.type,
      key: r.event_key,
      payload: JSON.parse(r.payload_json),
    }));
  };

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.adminToken();
    const made = await new WebhookService(api.db.dataSource).createEndpoint(
      // Never reached in this test: only the outbox is looked at.
      { url: "http://127.0.0.1:9/hooks", events: ["campaign.started", "campaign.ended"] },
      systemActor("test"),
    );
    if (Array.isArray(made)) throw new Error(JSON.stringify(made));
  });
  afterAll(async () => {
    await api?.close();
  });

  it("emits started at launch and ended at the end, once each", async () => {
    const id = await create("Double up");
    await act("launchCampaign", id);
    await act("pauseCampaign", id);
    await act("resumeCampaign", id);
    await act("endCampaign", id);
    const scheduled = await create("Later", new Date(Date.now() + 86_400_000).toISOString());
    await act("scheduleCampaign", scheduled);
    await act("endCampaign", scheduled);

    const written = await events();
    expect(written.map((e) => [e.type, e.key])).toEqual([
      ["campaign.started", `campaign:${id}:started`],
      ["campaign.ended", `campaign:${id}:ended`],
    ]);
    expect(written[0]!.payload).toMatchObject({
      campaignId: id,
      name: "Double up",
      treatmentCustomers: 0,
      controlCustomers: 0,
      endsAt: null,
    });
    expect(written[1]!.payload).toMatchObject({ campaignId: id, name: "Double up" });
  });
});
