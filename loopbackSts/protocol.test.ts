import { readParams, readTags } from './protocol';
import { rawPost, useLoopbackSts } from './__testUtils__/useLoopbackSts';

describe('protocol', () => {
  describe('readParams', () => {
    it('reads the query string and the form body, the body winning', () => {
      expect(
        readParams(
          '/?Action=GetCallerIdentity&Version=1',
          Buffer.from('Version=2011-06-15&RoleSessionName=a%2Bb'),
        ),
      ).toEqual({
        Action: 'GetCallerIdentity',
        Version: '2011-06-15',
        RoleSessionName: 'a+b',
      });
    });
  });

  describe('readTags', () => {
    it('maps Tags.member.N.Key to Tags.member.N.Value', () => {
      expect(
        readTags({
          Action: 'AssumeRole',
          'Tags.member.2.Key': 'plugin',
          'Tags.member.2.Value': 'catalog',
          'Tags.member.1.Key': 'team',
          'Tags.member.1.Value': 'platform',
          'Tags.member.3.Key': 'empty',
        }),
      ).toEqual({ team: 'platform', plugin: 'catalog', empty: '' });
    });

    it('is empty without tags', () => {
      expect(readTags({ Action: 'AssumeRole' })).toEqual({});
    });
  });

  describe('answers', () => {
    const sts = useLoopbackSts();

    it('answers protocol errors in the XML of STS', async () => {
      const { server } = sts;
      const unsigned = await rawPost(
        server.url,
        'Action=GetCallerIdentity&Version=2011-06-15',
      );
      expect(unsigned.status).toBe(403);
      expect(unsigned.body).toContain(
        '<Code>MissingAuthenticationToken</Code>',
      );

      const unknown = await rawPost(
        server.url,
        'Action=DecodeAuthorizationMessage&Version=2011-06-15',
      );
      expect(unknown.status).toBe(400);
      expect(unknown.body).toContain(
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidAction</Code>',
      );

      const noRole = await rawPost(
        server.url,
        'Action=AssumeRoleWithWebIdentity&Version=2011-06-15&WebIdentityToken=t&RoleSessionName=s',
      );
      expect(noRole.status).toBe(400);
      expect(noRole.body).toContain('<Code>ValidationError</Code>');

      const notSigV4 = await rawPost(
        server.url,
        'Action=GetCallerIdentity&Version=2011-06-15',
        { authorization: 'AWS AKIAIOSFODNN7EXAMPLE:c2lnbmF0dXJl' },
      );
      expect(notSigV4.status).toBe(400);
      expect(notSigV4.body).toContain('<Code>IncompleteSignature</Code>');

      expect(server.calls.map(c => c.action)).toEqual([
        'GetCallerIdentity',
        'DecodeAuthorizationMessage',
        'AssumeRoleWithWebIdentity',
        'GetCallerIdentity',
      ]);
    });
  });
});
