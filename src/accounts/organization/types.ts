/** One ACTIVE account of the organization, as the listing found it. */
export type DiscoveredAccount = {
  accountId: string;
  name?: string;
  /** The direct parent OU, when the listing walked the OU tree. */
  organizationalUnitId?: string;
  /** The account's tags, when `accountTags` made the listing read them. */
  tags?: Record<string, string>;
};

/** What one listing attempt reports, for metrics. */
export type ListingEvent = {
  durationMs: number;
  /** Organizations calls made, retries included. */
  calls: number;
  /** The accounts found; absent when the listing failed. */
  accounts?: number;
  error?: unknown;
};

/** Timers, injectable so that tests control the refresh schedule. */
export type Scheduler = {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
};
