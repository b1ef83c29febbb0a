import type { InputHTMLAttributes } from "vue";

type DataAttributes = { [key: `data-${string}`]: string };

/**
 * Attributes for naive-ui's `input-props` with a `data-testid` on the native <input>, where
 * end-to-end tests type. (naive-ui's prop type leaves out data-* attributes.)
 *
 * @param testId - the test hook.
 * @param attrs - other native input attributes.
 * @returns attributes to pass as `input-props`.
 */
export function inputProps(testId: string, attrs: InputHTMLAttributes = {}): InputHTMLAttributes {
  const withTestId: InputHTMLAttributes & DataAttributes = { ...attrs, "data-testid": testId };
  return withTestId;
}
