import type { DataSource } from "typeorm";
import { keysetPage, type KeysetOrder, type Page } from "../../db/keyset";
import { JobEntity } from "./job.entity";

const NEWEST_FIRST: KeysetOrder<JobEntity> = {
  name: "jobs:id:DESC",
  column: null,
  idColumn: "job.id",
  direction: "DESC",
  id: (job) => job.id,
  cursorValue: () => null,
};

/** The jobs rows are the history: a page of them, newest first, of one kind or all. */
export async function jobHistory(
  dataSource: DataSource,
  kind: string | null | undefined,
  first: number,
  after: string | null | undefined,
): Promise<{ page: Page<JobEntity>; countTotal: () => Promise<number> }> {
  const query = () => {
    const qb = dataSource.getRepository(JobEntity).createQueryBuilder("job");
    if (kind) qb.andWhere("job.kind = :kind", { kind });
    return qb;
  };
  return {
    page: await keysetPage(query(), NEWEST_FIRST, first, after),
    countTotal: () => query().getCount(),
  };
}
