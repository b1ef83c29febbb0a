import { graphql } from "../../gql";

/** Every field of the loyalty settings: the settings page reads them and the mutation answers them. */
export const LoyaltySettingsFields = graphql(`
  fragment LoyaltySettingsFields on LoyaltySettings {
    earnBasis
    pointsPerUnit
    rounding
    tierMultipliers {
      tier
      multiplier
    }
    perOrderCap
    periodCap {
      period
      days
      points
    }
    pendingDays
    expiry {
      kind
      days
      unit
      count
    }
    negativeBalance
    costPerPointMinor
    bonusEvents {
      event
      points
    }
  }
`);
