import { ClientStyle, newClient, whoAmI } from '../clients';
import { Impl, ORIGINAL, OURS, declaredConfig } from '../implementations';
import { Row } from '../report';
import { assumeRoleCount, resetSts } from '../stsSetup';
import { accountIdOf, progress, range } from '../util';
import { Bench, Target, Workload, compare } from '../workload';

const CALLS = 20;

/** A client kept for many calls assumes the role once. */
const oneCall: Target<number> = {
  text: '= 1',
  met: ours => ours === 1,
};

/** 3. One client, made once, making one signed call after another. */
async function measure(
  { sts }: Bench,
  impl: Impl,
  style: ClientStyle,
): Promise<number> {
  resetSts(sts);
  const accountId = accountIdOf(203, 0);
  const manager = impl.make(declaredConfig([accountId]));
  const provider = await manager.getCredentialProvider({ accountId });
  const client = newClient(style, provider.sdkCredentialProvider);
  try {
    for (const _ of range(CALLS)) {
      await whoAmI(client, accountId);
    }
  } finally {
    client.destroy();
  }
  return assumeRoleCount(sts);
}

export const longLivedClient: Workload = {
  id: '3',
  title: `one long-lived client × ${CALLS} calls`,
  targets: [oneCall],
  async run(bench) {
    const styles: Array<[ClientStyle, string]> = [
      [
        'credentialDefaultProvider',
        'README style `credentialDefaultProvider:`',
      ],
      ['credentials', '`credentials:` (for reference)'],
    ];
    const rows: Row[] = [];
    for (const [style, label] of styles) {
      progress(`3: one long-lived client, ${style}`);
      const ours = await measure(bench, OURS, style);
      const original = await measure(bench, ORIGINAL, style);
      rows.push(
        compare(
          `AssumeRole, one long-lived client × ${CALLS} calls, ${label}`,
          oneCall,
          { ours, original },
          String,
          n => n,
        ),
      );
    }
    return rows;
  },
};
