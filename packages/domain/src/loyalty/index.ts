// Loyalty points: settings, earning, the lot ledger (earn, activate, redeem, expire, reverse,
// adjust), redemption rules and programme economics. Pure: time is passed in.
export { LoyaltyError, type LoyaltyErrorCode } from "./loyalty-error";
export {
  EARN_BASES,
  LOYALTY_SETTINGS_BOUNDS,
  NEGATIVE_BALANCE_POLICIES,
  POINTS_ROUNDINGS,
  defaultLoyaltySettings,
  validateLoyaltySettings,
  type CapPeriod,
  type EarnBasis,
  type ExpiryRule,
  type LoyaltySettings,
  type LoyaltySettingsIssue,
  type LoyaltySettingsIssueCode,
  type NegativeBalancePolicy,
  type PointsRounding,
} from "./loyalty-settings";
export { DAY_MS, capPeriodStart, pointsExpireAt } from "./loyalty-calendar";
export {
  bonusPoints,
  earnPoints,
  type EarnCap,
  type EarnInput,
  type EarnResult,
} from "./earn-points";
export {
  activate,
  adjust,
  earn,
  emptyLedger,
  expire,
  redeem,
  reverse,
  spendablePoints,
  type Clawback,
  type LedgerEntry,
  type LedgerEntryType,
  type LedgerResult,
  type Lot,
  type LotChange,
  type PointsLedger,
  type ReverseAmount,
} from "./points-ledger";
export { balances, explainBalance, type BalanceLine, type PointsBalances } from "./ledger-balances";
export {
  checkRedemption,
  type RedeemingCustomer,
  type RedemptionCheck,
  type RedemptionRefusal,
  type RedemptionRefusalCode,
  type RewardTerms,
} from "./redemption-rules";
export {
  pointsExpiringSoon,
  pointsLiability,
  programmeRates,
  type ProgrammeRates,
  type Rate,
} from "./programme-economics";
