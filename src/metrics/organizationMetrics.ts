/* eslint-disable @typescript-eslint/no-require-imports */
import type * as OpenTelemetry from '@opentelemetry/api';
import type { Counter, Gauge, Histogram } from '@opentelemetry/api';
import type { ListingEvent } from '../accounts/organization/types';
import { METER_NAME } from './AwsCredentialsMetrics';

/** The instrument names of the organization's listings. */
export const ORGANIZATION_METRIC_NAMES = {
  listings: 'backstage.aws_credentials.organization.listings',
  listingDuration: 'backstage.aws_credentials.organization.listing.duration',
  accounts: 'backstage.aws_credentials.organization.accounts',
} as const;

type Instruments = {
  listings: Counter;
  listingDuration: Histogram;
  accounts: Gauge;
};

function createInstruments(): Instruments {
  // Loaded at the first listing: a config without aws.organization never pays.
  const { metrics } = require('@opentelemetry/api') as typeof OpenTelemetry;
  const meter = metrics.getMeter(METER_NAME);
  return {
    listings: meter.createCounter(ORGANIZATION_METRIC_NAMES.listings, {
      description:
        'Listings of the accounts of the AWS organization, by outcome (success, failure)',
      unit: '{listing}',
    }),
    listingDuration: meter.createHistogram(
      ORGANIZATION_METRIC_NAMES.listingDuration,
      {
        description:
          'How long a listing of the AWS organization took, throttling waits included',
        unit: 's',
      },
    ),
    accounts: meter.createGauge(ORGANIZATION_METRIC_NAMES.accounts, {
      description:
        'The ACTIVE accounts the last successful listing of the AWS organization found',
      unit: '{account}',
    }),
  };
}

/** The instruments of one organization's listings, created at the first one. */
export class OrganizationMetrics {
  #instruments: Instruments | undefined;

  /** Records one listing attempt of the organization. */
  readonly record = (event: ListingEvent): void => {
    const instruments = (this.#instruments ??= createInstruments());
    const outcome = event.error === undefined ? 'success' : 'failure';
    instruments.listings.add(1, { outcome });
    instruments.listingDuration.record(event.durationMs / 1000, { outcome });
    if (event.accounts !== undefined) {
      instruments.accounts.record(event.accounts);
    }
  };
}
