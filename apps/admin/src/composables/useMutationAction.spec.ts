import {
  ApolloClient,
  ApolloLink,
  InMemoryCache,
  Observable,
  gql,
  type FetchResult,
} from "@apollo/client/core";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { DefaultApolloClient } from "@vue/apollo-composable";
import { flushPromises, mount } from "@vue/test-utils";
import { NDialogProvider, NMessageProvider } from "naive-ui";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { defineComponent, h } from "vue";
import { i18n, setLocale } from "../i18n";
import { useMutationAction, type MutationActionOptions } from "./useMutationAction";

interface RevokeResult {
  revokeApiKey: {
    __typename: "RevokeApiKeyPayload";
    userErrors: { __typename: "UserError"; field: string | null; code: string; message: string }[];
  };
}
interface RevokeVariables {
  id: string;
}
const RevokeMutation: TypedDocumentNode<RevokeResult, RevokeVariables> = gql`
  mutation Revoke($id: ID!) {
    revokeApiKey(id: $id) {
      userErrors {
        field
        code
        message
      }
    }
  }
`;

type Answer = { userErrors: { field: string | null; code: string; message: string }[] } | Error;

function setup(
  answer: Answer,
  options: Partial<MutationActionOptions<RevokeResult, RevokeVariables>>,
) {
  const requests: unknown[] = [];
  const link = new ApolloLink((operation) => {
    requests.push(operation.variables);
    if (answer instanceof Error) return new Observable<FetchResult>((o) => o.error(answer));
    return Observable.of({
      data: {
        revokeApiKey: {
          __typename: "RevokeApiKeyPayload",
          userErrors: answer.userErrors.map((e) => ({ __typename: "UserError", ...e })),
        },
      },
    });
  });
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  let action!: ReturnType<typeof useMutationAction<RevokeResult, RevokeVariables>>;
  const Host = defineComponent({
    setup() {
      action = useMutationAction(RevokeMutation, {
        payload: (data) => data.revokeApiKey,
        ...options,
      });
      return () => null;
    },
  });
  const wrapper = mount(
    { render: () => h(NMessageProvider, () => h(NDialogProvider, () => h(Host))) },
    {
      global: { plugins: [i18n], provide: { [DefaultApolloClient]: client } },
      attachTo: document.body,
    },
  );
  return { action: () => action, requests, wrapper };
}

function clickButton(text: string): void {
  const button = [...document.body.querySelectorAll("button")].find(
    (b) => b.textContent?.trim() === text,
  );
  if (!button) throw new Error(`no button "${text}"`);
  button.click();
}

const confirm = () => ({
  title: "Revoke?",
  content: "Sure?",
  positiveText: "Revoke",
  danger: true,
});

beforeEach(() => setLocale("en"));
afterEach(() => {
  document.body.innerHTML = "";
});

describe("useMutationAction", () => {
  it("runs the mutation after confirmation, toasts and calls onSuccess", async () => {
    const onSuccess = vi.fn();
    const { action, requests, wrapper } = setup(
      { userErrors: [] },
      { confirm, onSuccess, successMessage: () => "Key revoked." },
    );

    const pending = action().run({ id: "7" });
    await flushPromises();
    expect(document.body.textContent).toContain("Sure?");
    expect(requests).toEqual([]);

    clickButton("Revoke");
    const data = await pending;
    await flushPromises();

    expect(requests).toEqual([{ id: "7" }]);
    expect(data?.revokeApiKey.userErrors).toEqual([]);
    expect(onSuccess).toHaveBeenCalledOnce();
    expect(document.body.textContent).toContain("Key revoked.");
    wrapper.unmount();
  });

  it("sends nothing when the user cancels", async () => {
    const onSuccess = vi.fn();
    const { action, requests, wrapper } = setup({ userErrors: [] }, { confirm, onSuccess });

    const pending = action().run({ id: "7" });
    await flushPromises();
    clickButton("Cancel");

    expect(await pending).toBeNull();
    expect(requests).toEqual([]);
    expect(onSuccess).not.toHaveBeenCalled();
    wrapper.unmount();
  });

  it("keeps userErrors, shows them, and does not report success", async () => {
    const onSuccess = vi.fn();
    const { action, wrapper } = setup(
      { userErrors: [{ field: "id", code: "NOT_FOUND", message: "No such key." }] },
      { onSuccess, successMessage: () => "Key revoked." },
    );

    const result = await action().run({ id: "404" });
    await flushPromises();

    expect(result).toBeNull();
    expect(action().userErrors.value).toEqual([
      expect.objectContaining({ field: "id", code: "NOT_FOUND", message: "No such key." }),
    ]);
    expect(onSuccess).not.toHaveBeenCalled();
    expect(document.body.textContent).toContain("No such key.");
    expect(document.body.textContent).not.toContain("Key revoked.");
    wrapper.unmount();
  });

  it("reports a failed request instead of throwing", async () => {
    const { action, wrapper } = setup(new Error("socket hang up"), {});

    await expect(action().run({ id: "1" })).resolves.toBeNull();
    await flushPromises();

    expect(document.body.textContent).toContain("The request failed: socket hang up");
    wrapper.unmount();
  });
});
