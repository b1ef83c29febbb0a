export const DEMO_ADMIN = { email: "admin@valuetier.local", password: "valuetier-demo" };
export async function seedDemo(..._args: unknown[]): Promise<void> {}
