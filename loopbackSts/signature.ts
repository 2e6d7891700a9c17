import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { ReceivedRequest } from './types';

/*
 * SigV4 checks with the AWS SDK's own signer: the received request is
 * rebuilt as the client signed it and signed again with the known secret;
 * the two signatures must match.
 */

const ALGORITHM = 'AWS4-HMAC-SHA256';

/** The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header. */
export interface SigV4Authorization {
  accessKeyId: string;
  /** The credential scope: date (YYYYMMDD), region, service, terminator. */
  date: string;
  region: string;
  service: string;
  terminator: string;
  /** Lower-cased names, as listed in SignedHeaders. */
  signedHeaders: string[];
  signature: string;
}

/** Reads an Authorization header; undefined if it is not a whole SigV4 one. */
export function parseAuthorization(
  header: string,
): SigV4Authorization | undefined {
  const trimmed = header.trim();
  if (!trimmed.startsWith(`${ALGORITHM} `)) {
    return undefined;
  }
  const fields: Record<string, string> = {};
  for (const part of trimmed.slice(ALGORITHM.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) {
      fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
  }
  const scope = fields.Credential?.split('/');
  if (
    !scope ||
    scope.length !== 5 ||
    !fields.SignedHeaders ||
    !fields.Signature
  ) {
    return undefined;
  }
  const [accessKeyId, date, region, service, terminator] = scope;
  return {
    accessKeyId,
    date,
    region,
    service,
    terminator,
    signedHeaders: fields.SignedHeaders.toLowerCase().split(';'),
    signature: fields.Signature,
  };
}

/**
 * Whether `auth.signature` is the signature of `request` under this secret.
 * The signing time is the request's own `x-amz-date`, so requests are not
 * refused for clock skew (the signer cannot take a `Date` header instead:
 * such requests never match, and the AWS SDK never sends them).
 */
export async function signatureMatches(
  request: ReceivedRequest,
  auth: SigV4Authorization,
  secretAccessKey: string,
): Promise<boolean> {
  const headers = signedHeaderValues(request, auth.signedHeaders);
  const signingDate = parseAmzDate(headers['x-amz-date']);
  const target = splitTarget(request.url);
  if (!signingDate || !target) {
    return false;
  }
  // The one check the signer cannot make: it takes a signed
  // x-amz-content-sha256 (which the SDK sends) as the payload's hash without
  // hashing the payload, as a client may; a server must see that it is the
  // hash of the body that arrived, or a changed body would pass.
  const payloadHash = headers['x-amz-content-sha256'];
  if (
    payloadHash !== undefined &&
    payloadHash.trim() !==
      createHash('sha256').update(request.body).digest('hex')
  ) {
    return false;
  }
  const signer = new SignatureV4({
    // The session token, if signed, is one of the rebuilt headers already.
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    region: auth.region,
    service: auth.service,
    sha256: Hash.bind(null, 'sha256'),
    // Only what the client signed: no x-amz-content-sha256 of our own.
    applyChecksum: false,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: target.path,
      query: target.query,
      headers,
      body: request.body,
    }),
    {
      signingDate,
      // Headers the signer leaves out by default (user-agent, ...) count
      // when the client signed them.
      signableHeaders: new Set(auth.signedHeaders),
    },
  );
  const expected = /Signature=([0-9a-f]+)/.exec(
    String(signed.headers.authorization),
  )?.[1];
  return expected !== undefined && sameText(expected, auth.signature);
}

/** The signed headers' values by name; repeated headers joined with ','. */
function signedHeaderValues(
  request: ReceivedRequest,
  signedHeaders: string[],
): Record<string, string> {
  const wanted = new Set(signedHeaders);
  const values: Record<string, string> = {};
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i].toLowerCase();
    if (wanted.has(name)) {
      const value = request.rawHeaders[i + 1];
      values[name] = name in values ? `${values[name]},${value}` : value;
    }
  }
  return values;
}

/** `20240102T030405Z` as a Date. */
function parseAmzDate(value: string | undefined): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(
    value?.trim() ?? '',
  );
  if (!match) {
    return undefined;
  }
  const [, year, month, day, hour, minute, second] = match;
  return new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
}

/**
 * The path as sent (the signer encodes it once more, as SigV4 wants for
 * every service but S3) and the decoded query (the signer encodes it).
 */
function splitTarget(
  url: string,
): { path: string; query: Record<string, string | string[]> } | undefined {
  const queryStart = url.indexOf('?');
  const path = queryStart >= 0 ? url.slice(0, queryStart) : url;
  const query: Record<string, string | string[]> = {};
  if (queryStart >= 0) {
    for (const pair of url.slice(queryStart + 1).split('&')) {
      if (pair === '') {
        continue;
      }
      const eq = pair.indexOf('=');
      let key: string;
      let value: string;
      try {
        key = decodeURIComponent(eq >= 0 ? pair.slice(0, eq) : pair);
        value = eq >= 0 ? decodeURIComponent(pair.slice(eq + 1)) : '';
      } catch {
        return undefined;
      }
      const previous = query[key];
      if (previous === undefined) {
        query[key] = value;
      } else {
        query[key] = [previous, value].flat();
      }
    }
  }
  return { path: path || '/', query };
}

function sameText(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
