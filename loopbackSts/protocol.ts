import { ServerResponse } from 'node:http';

/*
 * The AWS Query protocol as STS speaks it: parameters form-encoded in the
 * body (or the query string), answers and errors as XML.
 */

const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** An error answer: the HTTP status and the `<Error>` element of STS. */
export class StsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: 'Sender' | 'Receiver' = status >= 500
      ? 'Receiver'
      : 'Sender',
  ) {
    super(message);
  }
}

/** The parameters of a request: the query string's, then the form body's. */
export function readParams(url: string, body: Buffer): Record<string, string> {
  const params: Record<string, string> = {};
  const queryStart = url.indexOf('?');
  if (queryStart >= 0) {
    for (const [key, value] of new URLSearchParams(url.slice(queryStart + 1))) {
      params[key] = value;
    }
  }
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
    params[key] = value;
  }
  return params;
}

/** Session tags from `Tags.member.N.Key` / `Tags.member.N.Value`, in N order. */
export function readTags(
  params: Record<string, string>,
): Record<string, string> {
  const members: Array<[number, string]> = [];
  for (const name of Object.keys(params)) {
    const match = /^Tags\.member\.(\d+)\.Key$/.exec(name);
    if (match) {
      members.push([Number(match[1]), params[name]]);
    }
  }
  members.sort(([a], [b]) => a - b);
  const tags: Record<string, string> = {};
  for (const [n, key] of members) {
    tags[key] = params[`Tags.member.${n}.Value`] ?? '';
  }
  return tags;
}

function xmlEscape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** `<Name>value</Name>` elements; undefined values are left out. */
export function xmlElements(
  fields: Record<string, string | undefined>,
): string {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<${name}>${xmlEscape(value!)}</${name}>`)
    .join('');
}

/** ISO 8601 without milliseconds, as STS writes times. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The XML of a successful answer, around the result's elements. */
export function resultXml(
  action: string,
  requestId: string,
  inner: string,
): string {
  return (
    `<${action}Response xmlns="${STS_NAMESPACE}">` +
    `<${action}Result>${inner}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</${action}Response>`
  );
}

/** The XML of an error answer. */
export function errorXml(error: StsError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${STS_NAMESPACE}">` +
    `<Error>${xmlElements({
      Type: error.type,
      Code: error.code,
      Message: error.message,
    })}</Error>` +
    `<RequestId>${requestId}</RequestId>` +
    `</ErrorResponse>`
  );
}

/** Sends an XML answer, unless the connection is already gone. */
export function sendXml(
  res: ServerResponse,
  requestId: string,
  status: number,
  xml: string,
): void {
  if (res.destroyed || res.writableEnded) {
    return;
  }
  const body = Buffer.from(xml, 'utf8');
  res.writeHead(status, {
    'Content-Type': 'text/xml',
    'Content-Length': body.length,
    'x-amzn-RequestId': requestId,
  });
  res.end(body);
}
