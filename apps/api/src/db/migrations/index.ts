import { Initial1795352461569 } from "./1795352461569-Initial";
import { ValueScoring1795353108931 } from "./1795353108931-ValueScoring";
import { ExactExternalIds1796100663233 } from "./1796100663233-ExactExternalIds";
import { LoginLimitsAndSessions1796100792510 } from "./1796100792510-LoginLimitsAndSessions";
import { JobRunner1796102393676 } from "./1796102393676-JobRunner";
import { Segmentation1796103400000 } from "./1796103400000-Segmentation";
import { Segments1796103500000 } from "./1796103500000-Segments";
import { Tiers1796103600000 } from "./1796103600000-Tiers";
import { Loyalty1796103700000 } from "./1796103700000-Loyalty";
import { Webhooks1796103800000 } from "./1796103800000-Webhooks";
import { Campaigns1796103900000 } from "./1796103900000-Campaigns";
import { CampaignOffers1796104000000 } from "./1796104000000-CampaignOffers";
import { CouponUses1796104100000 } from "./1796104100000-CouponUses";

/** MySQL migrations in the order they apply. Committed migrations are never edited. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const migrations: Function[] = [
  Initial1795352461569,
  ValueScoring1795353108931,
  ExactExternalIds1796100663233,
  LoginLimitsAndSessions1796100792510,
  JobRunner1796102393676,
  Segmentation1796103400000,
  Segments1796103500000,
  Tiers1796103600000,
  Loyalty1796103700000,
  Webhooks1796103800000,
  Campaigns1796103900000,
  CampaignOffers1796104000000,
  CouponUses1796104100000,
];
