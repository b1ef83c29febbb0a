import { graphql } from "../../gql";

/** The fields of a reward the catalogue and its form show. */
export const RewardFields = graphql(`
  fragment RewardFields on Reward {
    id
    name
    description
    pointsCost
    tierKeys
    stock
    remaining
    perCustomerLimit
    validFrom
    validUntil
    couponPrefix
    campaignOnly
    active
  }
`);
