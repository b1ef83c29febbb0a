import { createTestDatabase } from "../../testing/test-database";
import { describeLoyaltyService } from "../../__tests__/loyalty-scenario";

describeLoyaltyService("MySQL", () => createTestDatabase("vt_loyalty"));
