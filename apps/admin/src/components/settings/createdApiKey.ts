/** A key just created: the secret is in memory only while the one-time modal shows it. */
export interface CreatedApiKey {
  name: string;
  prefix: string;
  secret: string;
}
