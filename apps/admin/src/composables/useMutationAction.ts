import type { OperationVariables } from "@apollo/client/core";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { useMutation } from "@vue/apollo-composable";
import { useDialog, useMessage } from "naive-ui";
import { ref } from "vue";
import { useTranslation } from "../i18n/useTranslation";

/** An expected failure returned in a mutation payload (`userErrors { field code message }`). */
export interface UserErrorLike {
  field?: string | null;
  code: string;
  message: string;
}

export interface ConfirmOptions {
  title: string;
  content: string;
  positiveText: string;
  /** Red button and warning icon for destructive steps (revoke, disable). */
  danger?: boolean;
}

export interface MutationActionOptions<TResult, TVariables> {
  /** The payload inside the result that carries `userErrors`. */
  payload: (data: TResult) => { userErrors: ReadonlyArray<UserErrorLike> } | null | undefined;
  /** Ask before running; the action stops when the user cancels. */
  confirm?: (variables: TVariables) => ConfirmOptions;
  /** Toast shown after a successful run. */
  successMessage?: (data: TResult, variables: TVariables) => string;
  onSuccess?: (data: TResult, variables: TVariables) => void | Promise<void>;
  /**
   * Also toast `userErrors`. Forms that list them beside the fields (UserErrorsAlert) turn
   * this off so the same message is not shown twice.
   */
  toastUserErrors?: boolean;
}

/**
 * confirm → mutate → toast, once, for every admin action. Expected failures (`userErrors`)
 * and transport or GraphQL errors are shown as a toast and kept in `userErrors` for forms.
 *
 * @param document - a typed mutation.
 * @param options - where its payload is, what to ask and what to say.
 * @returns `run(variables)` resolving to the data on success and null otherwise.
 */
export function useMutationAction<TResult, TVariables extends OperationVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  options: MutationActionOptions<TResult, TVariables>,
) {
  const { mutate, loading } = useMutation(document);
  const dialog = useDialog();
  const message = useMessage();
  const { t } = useTranslation();
  const userErrors = ref<UserErrorLike[]>([]);

  function askConfirmation(confirm: ConfirmOptions): Promise<boolean> {
    return new Promise((resolve) => {
      const open = confirm.danger ? dialog.error : dialog.warning;
      open({
        title: confirm.title,
        content: confirm.content,
        positiveText: confirm.positiveText,
        negativeText: t("common.cancel"),
        onPositiveClick: () => resolve(true),
        onNegativeClick: () => resolve(false),
        onClose: () => resolve(false),
        onMaskClick: () => resolve(false),
        onEsc: () => resolve(false),
      });
    });
  }

  async function run(variables: TVariables): Promise<TResult | null> {
    userErrors.value = [];
    if (options.confirm && !(await askConfirmation(options.confirm(variables)))) return null;
    try {
      const result = await mutate(variables);
      const data = result?.data;
      if (!data) {
        message.error(t("errors.noResponse"));
        return null;
      }
      const errors = options.payload(data)?.userErrors ?? [];
      if (errors.length > 0) {
        userErrors.value = [...errors];
        if (options.toastUserErrors !== false) {
          message.error(errors.map((error) => error.message).join(" "));
        }
        return null;
      }
      if (options.successMessage) message.success(options.successMessage(data, variables));
      await options.onSuccess?.(data, variables);
      return data;
    } catch (error) {
      message.error(
        t("errors.requestFailed", { message: error instanceof Error ? error.message : "" }),
      );
      return null;
    }
  }

  function clearUserErrors(): void {
    userErrors.value = [];
  }

  return { run, loading, userErrors, clearUserErrors };
}
