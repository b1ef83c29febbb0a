import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from "typeorm";
import { DATETIME } from "../../db/column-types";

/**
 * A saved segment: a name and a query in the segment language (docs/segment-language.md).
 * Membership is evaluated on demand, so it follows the data. The parsed audience is stored
 * beside the text so that campaigns and filters need not parse again.
 */
@Entity({ name: "segments" })
export class SegmentEntity {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Index("uq_segments_name", { unique: true })
  @Column({ type: "varchar", length: 120 })
  name: string;

  /** The query as the marketer wrote it. */
  @Column({ type: "text" })
  query: string;

  /** The parsed Audience as JSON. */
  @Column({ name: "audience_json", type: "text" })
  audienceJson: string;

  @Column({ name: "created_by", type: "varchar", length: 254 })
  createdBy: string;

  @CreateDateColumn({ name: "created_at", type: DATETIME })
  createdAt: Date;

  @UpdateDateColumn({ name: "updated_at", type: DATETIME })
  updatedAt: Date;
}
