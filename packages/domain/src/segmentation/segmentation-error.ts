/** Why segmentation input or settings were rejected. */
export type SegmentationErrorCode =
  | "EMPTY_INPUT"
  | "INVALID_NUMBER"
  | "INVALID_MONEY"
  | "INVALID_DATE"
  | "INVALID_SHAPE"
  | "INVALID_PARAMETER"
  | "INVALID_SETTINGS"
  | "UNKNOWN_TIER"
  | "CLOCK_WENT_BACK";

/**
 * An expected failure of the segmentation rules (RFM, K-Means, tiers, lifecycle). `code` is
 * stable for programs; `message` says what is wrong and where (input position, field);
 * `location` carries that position when there is one.
 */
export class SegmentationError extends Error {
  override readonly name = "SegmentationError";
  constructor(
    readonly code: SegmentationErrorCode,
    message: string,
    readonly location: { index?: number; field?: string } = {},
  ) {
    super(message);
  }
}

/** One reason why segmentation settings were refused; `field` is a path such as `rules[2].r`. */
export interface SegmentationSettingsIssue<Code extends string = string> {
  field: string;
  code: Code;
  message: string;
}
