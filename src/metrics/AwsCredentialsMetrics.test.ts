import {
  ForwardedError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { version } from '../../package.json';
import type { CredentialSourceDescription } from '../providers/CredentialSource';
import {
  AwsCredentialsMetrics,
  METER_NAME,
  METRIC_NAMES,
} from './AwsCredentialsMetrics';
import { useMetricsReader } from './__testUtils__/useMetricsReader';

const declared: CredentialSourceDescription = {
  kind: 'assume_role',
  subject: 'account 222222222222',
  accountId: '222222222222',
  configPath: 'aws.accounts[0]',
  roleArn: 'arn:aws:iam::222222222222:role/deployer',
  stsRegion: 'us-east-1',
};

const byDefaults: CredentialSourceDescription = {
  ...declared,
  subject: 'account 333333333333',
  accountId: '333333333333',
  configPath: 'aws.accountDefaults',
  roleArn: 'arn:aws:iam::333333333333:role/deployer',
};

const mainWithId: CredentialSourceDescription = {
  kind: 'static',
  subject: 'the main account',
  accountId: '111111111111',
  configPath: 'aws.mainAccount',
};

describe('AwsCredentialsMetrics', () => {
  describe('without an OpenTelemetry SDK', () => {
    it('records into the no-op meter without error, and creates nothing before the first record', () => {
      const getMeter = jest.spyOn(metrics, 'getMeter');
      try {
        const subject = new AwsCredentialsMetrics();
        const lookups = subject.lookups('catalog');
        const onFetch = subject.fetchRecorder(declared);
        expect(getMeter).not.toHaveBeenCalled();

        lookups.found();
        lookups.failed(new NotFoundError('no'));
        onFetch({ outcome: 'success', refresh: false, durationMs: 12 });
        expect(getMeter).toHaveBeenCalledTimes(1);
        expect(getMeter).toHaveBeenCalledWith(METER_NAME, version);
      } finally {
        getMeter.mockRestore();
      }
    });

    it('records into an SDK registered after the metrics object was made, before its first record', async () => {
      const subject = new AwsCredentialsMetrics();
      const reader = new (class extends MetricReader {
        protected async onForceFlush() {}
        protected async onShutdown() {}
      })();
      const provider = new MeterProvider({ readers: [reader] });
      metrics.setGlobalMeterProvider(provider);
      try {
        subject.lookups().found();
        const { resourceMetrics } = await reader.collect();
        const [scope] = resourceMetrics.scopeMetrics;
        expect(scope.scope).toEqual({ name: METER_NAME, version });
        expect(scope.metrics[0].descriptor.name).toBe(METRIC_NAMES.lookups);
        expect(scope.metrics[0].dataPoints[0].value).toBe(1);
      } finally {
        metrics.disable();
        await provider.shutdown();
      }
    });
  });

  describe('#fetchRecorder', () => {
    const read = useMetricsReader();

    it('counts a successful fetch with its source, outcome, refresh flag and the declared account ID', async () => {
      const onFetch = new AwsCredentialsMetrics().fetchRecorder(declared);
      onFetch({ outcome: 'success', refresh: false, durationMs: 40 });
      onFetch({ outcome: 'success', refresh: true, durationMs: 60 });
      onFetch({ outcome: 'success', refresh: true, durationMs: 80 });

      expect(await read.counts(METRIC_NAMES.fetches)).toEqual([
        {
          attributes: {
            source: 'assume_role',
            account_id: '222222222222',
            outcome: 'success',
            refresh: false,
          },
          value: 1,
        },
        {
          attributes: {
            source: 'assume_role',
            account_id: '222222222222',
            outcome: 'success',
            refresh: true,
          },
          value: 2,
        },
      ]);
    });

    it('adds error.type to a failed fetch', async () => {
      const onFetch = new AwsCredentialsMetrics().fetchRecorder(declared);
      onFetch({
        outcome: 'failure',
        refresh: true,
        durationMs: 5,
        errorType: 'AccessDenied',
      });
      onFetch({ outcome: 'failure', refresh: false, durationMs: 5 });

      expect(
        (await read.counts(METRIC_NAMES.fetches)).map(p => p.attributes),
      ).toEqual([
        {
          source: 'assume_role',
          account_id: '222222222222',
          outcome: 'failure',
          refresh: true,
          'error.type': 'AccessDenied',
        },
        {
          source: 'assume_role',
          account_id: '222222222222',
          outcome: 'failure',
          refresh: false,
          'error.type': 'Error',
        },
      ]);
    });

    it('leaves out the account ID of accountDefaults accounts and of the main account, whose number config does not bound', async () => {
      const subject = new AwsCredentialsMetrics();
      subject.fetchRecorder(byDefaults)({
        outcome: 'success',
        refresh: false,
        durationMs: 1,
      });
      subject.fetchRecorder({ ...byDefaults, accountId: '444444444444' })({
        outcome: 'success',
        refresh: false,
        durationMs: 1,
      });
      subject.fetchRecorder(mainWithId)({
        outcome: 'success',
        refresh: false,
        durationMs: 1,
      });

      expect(await read.counts(METRIC_NAMES.fetches)).toEqual([
        {
          attributes: {
            source: 'assume_role',
            outcome: 'success',
            refresh: false,
          },
          value: 2,
        },
        {
          attributes: { source: 'static', outcome: 'success', refresh: false },
          value: 1,
        },
      ]);
    });

    it.each([
      ['aws.accounts[3]', '222222222222'],
      ['aws.plugins.catalog.accounts[0]', '222222222222'],
      ['aws.plugins.catalog.accountDefaults', undefined],
      ['aws.accountDefaults', undefined],
      ['aws.mainAccount', undefined],
    ])(
      'gives the account ID of a source read from %s as %s',
      async (configPath, accountId) => {
        new AwsCredentialsMetrics().fetchRecorder({ ...declared, configPath })({
          outcome: 'success',
          refresh: false,
          durationMs: 1,
        });
        const [point] = await read.counts(METRIC_NAMES.fetches);
        expect(point.attributes.account_id).toBe(accountId);
      },
    );

    it('records the duration in seconds, with buckets for a range from milliseconds to the timeout', async () => {
      const onFetch = new AwsCredentialsMetrics().fetchRecorder(declared);
      onFetch({ outcome: 'success', refresh: false, durationMs: 30 });
      onFetch({ outcome: 'success', refresh: false, durationMs: 1500 });

      const data = await read.metric(METRIC_NAMES.fetchDuration);
      expect(data?.descriptor.unit).toBe('s');
      const [point] = await read.histograms(METRIC_NAMES.fetchDuration);
      expect(point.attributes).toEqual({
        source: 'assume_role',
        account_id: '222222222222',
        outcome: 'success',
        refresh: false,
      });
      expect(point.value.count).toBe(2);
      expect(point.value.sum).toBeCloseTo(1.53);
      expect(point.value.buckets.boundaries).toEqual([
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
      ]);
      // 0.03 s falls in (0.025, 0.05], 1.5 s in (1, 2.5].
      expect(point.value.buckets.counts).toEqual([
        0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0,
      ]);
    });
  });

  describe('#lookups', () => {
    const read = useMetricsReader();

    it('counts each outcome, by the name of the error (kept through ForwardedError)', async () => {
      const lookups = new AwsCredentialsMetrics().lookups();
      lookups.found();
      lookups.found();
      lookups.failed(new NotFoundError('no such account'));
      lookups.failed(new ForwardedError('wrapped', new NotFoundError('no')));
      lookups.failed(new NotAllowedError('not for this plugin'));
      lookups.failed(new InputError('bad account ID'));
      lookups.failed(new Error('STS is down'));
      lookups.failed('not even an error');

      expect(await read.counts(METRIC_NAMES.lookups)).toEqual([
        { attributes: { outcome: 'found' }, value: 2 },
        { attributes: { outcome: 'not_found' }, value: 2 },
        { attributes: { outcome: 'not_allowed' }, value: 1 },
        { attributes: { outcome: 'invalid' }, value: 1 },
        { attributes: { outcome: 'error' }, value: 2 },
      ]);
    });

    it('does not mistake an error named after an Object property for an outcome', async () => {
      const lookups = new AwsCredentialsMetrics().lookups();
      const error = new Error('odd');
      error.name = 'constructor';
      lookups.failed(error);
      expect(await read.counts(METRIC_NAMES.lookups)).toEqual([
        { attributes: { outcome: 'error' }, value: 1 },
      ]);
    });

    it('adds backstage.plugin.id when the plugin is known', async () => {
      const subject = new AwsCredentialsMetrics();
      subject.lookups('catalog').found();
      subject.lookups('scaffolder').failed(new NotAllowedError('no'));

      expect(await read.counts(METRIC_NAMES.lookups)).toEqual([
        {
          attributes: { outcome: 'found', 'backstage.plugin.id': 'catalog' },
          value: 1,
        },
        {
          attributes: {
            outcome: 'not_allowed',
            'backstage.plugin.id': 'scaffolder',
          },
          value: 1,
        },
      ]);
    });

    it('passes values and errors through onFound and onFailed, counting each', async () => {
      const lookups = new AwsCredentialsMetrics().lookups();
      await expect(
        Promise.resolve('provider').then(lookups.onFound, lookups.onFailed),
      ).resolves.toBe('provider');
      const error = new InputError('bad');
      await expect(
        Promise.reject(error).then(lookups.onFound, lookups.onFailed),
      ).rejects.toBe(error);

      expect(await read.counts(METRIC_NAMES.lookups)).toEqual([
        { attributes: { outcome: 'found' }, value: 1 },
        { attributes: { outcome: 'invalid' }, value: 1 },
      ]);
    });

    it('sums the lookups of several managers into one series', async () => {
      new AwsCredentialsMetrics().lookups().found();
      new AwsCredentialsMetrics().lookups().found();
      expect(await read.total(METRIC_NAMES.lookups, { outcome: 'found' })).toBe(
        2,
      );
    });
  });
});
