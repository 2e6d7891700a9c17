import {
  createHash,
  createHmac,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/**
 * A loopback implementation of the parts of AWS STS that this package uses,
 * speaking the real wire protocol (AWS Query, SigV4, XML) so that the
 * unmodified AWS SDK v3 can be pointed at it (`AWS_ENDPOINT_URL_STS` or an
 * explicit `endpoint`).
 */

const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
const MIN_DURATION_SECONDS = 900;
const MAX_DURATION_SECONDS = 43200;

export type StsAction =
  | 'AssumeRole'
  | 'AssumeRoleWithWebIdentity'
  | 'GetCallerIdentity';

export interface StsCall {
  action: StsAction | string;
  /** From the Authorization header's Credential (undefined for unsigned requests). */
  accessKeyId?: string;
  /** The region in the SigV4 credential scope. */
  region?: string;
  /** The decoded form parameters (Action and Version included). */
  params: Record<string, string>;
  /** The x-amz-security-token header, if any. */
  sessionToken?: string;
}

export type StsFault =
  | { status: number; code: string; message?: string }
  | 'hang'
  | 'close';

export interface StsTestServerOptions {
  /** Expiration of issued credentials = now + this; default 3600. */
  credentialLifetimeSeconds?: number;
  /** Delay before each answer; default 0. */
  delayMs?: number;
}

interface Identity {
  account: string;
  arn: string;
  userId: string;
}

interface KnownKey {
  secretAccessKey: string;
  identity: Identity;
  /** Only for keys issued by this server. */
  sessionToken?: string;
  expiration?: Date;
}

interface FaultEntry {
  fault: StsFault;
  remaining: number;
  action?: StsAction;
}

class StsError extends Error {
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

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
}

// Process-wide so that keys stay unique even across several servers.
let issuedKeyCounter = 0;

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function uriEscape(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function xmlEscape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** `<Name>value</Name>` lines; undefined values are left out. */
function xmlElements(fields: Record<string, string | undefined>): string {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<${name}>${xmlEscape(value!)}</${name}>`)
    .join('');
}

/** ISO 8601 without milliseconds, as real STS writes it. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const trimmed = header.trim();
  if (!trimmed.startsWith(`${SIGV4_ALGORITHM} `)) {
    return undefined;
  }
  const fields: Record<string, string> = {};
  for (const part of trimmed.slice(SIGV4_ALGORITHM.length).split(',')) {
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
    signedHeaders: fields.SignedHeaders.split(';'),
    signature: fields.Signature,
  };
}

/** Header values by lower-cased name, repeated headers joined with ','. */
function collectHeaders(req: IncomingMessage): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    const values = headers.get(name) ?? [];
    values.push(req.rawHeaders[i + 1]);
    headers.set(name, values);
  }
  return headers;
}

function canonicalPath(rawPath: string): string {
  const path = rawPath === '' ? '/' : rawPath;
  // Non-S3 services: each segment is URI-encoded once more on top of
  // whatever encoding it carries on the wire; slashes stay.
  return path
    .split('/')
    .map(segment => uriEscape(segment))
    .join('/');
}

function canonicalQuery(rawQuery: string): string {
  if (!rawQuery) {
    return '';
  }
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    if (key.toLowerCase() === 'x-amz-signature') {
      continue;
    }
    pairs.push([uriEscape(key), uriEscape(value)]);
  }
  pairs.sort(([ak, av], [bk, bv]) => {
    if (ak !== bk) {
      return ak < bk ? -1 : 1;
    }
    if (av === bv) {
      return 0;
    }
    return av < bv ? -1 : 1;
  });
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

/**
 * Recomputes the SigV4 signature of a request from its wire form and the
 * secret key (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
 */
function computeSignature(
  req: IncomingMessage,
  body: Buffer,
  auth: ParsedAuthorization,
  secretAccessKey: string,
): string {
  const headers = collectHeaders(req);
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const rawPath = queryStart >= 0 ? url.slice(0, queryStart) : url;
  const rawQuery = queryStart >= 0 ? url.slice(queryStart + 1) : '';

  const signedHeaderNames = auth.signedHeaders.map(h => h.toLowerCase());
  const canonicalHeaders = signedHeaderNames
    .map(name => {
      const values = (headers.get(name) ?? []).map(v =>
        v.trim().replace(/\s+/g, ' '),
      );
      return `${name}:${values.join(',')}\n`;
    })
    .join('');

  const payloadHash =
    headers.get('x-amz-content-sha256')?.[0]?.trim() ?? sha256Hex(body);

  const canonicalRequest = [
    req.method ?? 'POST',
    canonicalPath(rawPath),
    canonicalQuery(rawQuery),
    canonicalHeaders,
    signedHeaderNames.join(';'),
    payloadHash,
  ].join('\n');

  const amzDate =
    headers.get('x-amz-date')?.[0]?.trim() ??
    // Fall back to the Date header, converted to the basic ISO 8601 form.
    isoSeconds(new Date(headers.get('date')?.[0] ?? 0)).replace(/[-:]/g, '');

  const scope = [auth.date, auth.region, auth.service, auth.terminator].join(
    '/',
  );
  const stringToSign = [
    SIGV4_ALGORITHM,
    amzDate,
    scope,
    sha256Hex(canonicalRequest),
  ].join('\n');

  const kDate = hmac(`AWS4${secretAccessKey}`, auth.date);
  const kRegion = hmac(kDate, auth.region);
  const kService = hmac(kRegion, auth.service);
  const kSigning = hmac(kService, auth.terminator);
  return createHmac('sha256', kSigning)
    .update(stringToSign, 'utf8')
    .digest('hex');
}

function signaturesEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

interface ParsedRoleArn {
  partition: string;
  account: string;
  roleName: string;
}

function parseRoleArn(roleArn: string): ParsedRoleArn | undefined {
  // arn:{partition}:iam::{account}:role/{optional/path/}{name}
  const match = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(
    roleArn,
  );
  if (!match) {
    return undefined;
  }
  return { partition: match[1], account: match[2], roleName: match[3] };
}

function decodeJwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) {
    return undefined;
  }
  try {
    const claims = JSON.parse(
      Buffer.from(parts[1], 'base64url').toString('utf8'),
    );
    return claims && typeof claims === 'object' ? claims : undefined;
  } catch {
    return undefined;
  }
}

function claimString(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value) && typeof value[0] === 'string') {
    return value[0];
  }
  return undefined;
}

export class StsTestServer {
  /** Starts a server listening on 127.0.0.1 on a free port. */
  static async start(options?: StsTestServerOptions): Promise<StsTestServer> {
    const server = new StsTestServer(options ?? {});
    await server.#listen();
    return server;
  }

  readonly calls: StsCall[] = [];
  credentialLifetimeSeconds: number;
  delayMs: number;

  #url = '';
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #keys = new Map<string, KnownKey>();
  #faults: FaultEntry[] = [];
  #stopped = false;

  private constructor(options: StsTestServerOptions) {
    this.credentialLifetimeSeconds = options.credentialLifetimeSeconds ?? 3600;
    this.delayMs = options.delayMs ?? 0;
    this.#server = createServer((req, res) => this.#onRequest(req, res));
    this.#server.on('connection', socket => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  /** e.g. 'http://127.0.0.1:41234' */
  get url(): string {
    return this.#url;
  }

  callsOf(action: StsAction): StsCall[] {
    return this.calls.filter(call => call.action === action);
  }

  /**
   * Registers a long-term key: requests signed with it are verified with this
   * secret; GetCallerIdentity with it returns this identity.
   */
  addUser(
    accessKeyId: string,
    secretAccessKey: string,
    identity: { account: string; arn: string; userId?: string },
  ): void {
    this.#keys.set(accessKeyId, {
      secretAccessKey,
      identity: {
        account: identity.account,
        arn: identity.arn,
        userId: identity.userId ?? accessKeyId,
      },
    });
  }

  /**
   * The next `count` requests (any action, or only `action` if given) get
   * this fault instead of an answer.
   */
  injectFault(fault: StsFault, count: number = 1, action?: StsAction): void {
    if (!(count > 0)) {
      return;
    }
    this.#faults.push({ fault, remaining: count, action });
  }

  clearFaults(): void {
    this.#faults = [];
  }

  /** Clears calls and faults; registered users and issued keys are kept. */
  reset(): void {
    this.calls.length = 0;
    this.clearFaults();
  }

  /** Closes the server and every open socket, hung ones included. */
  async stop(): Promise<void> {
    if (this.#stopped) {
      return;
    }
    this.#stopped = true;
    for (const timer of this.#timers) {
      clearTimeout(timer);
    }
    this.#timers.clear();
    const closed = new Promise<void>(resolve =>
      this.#server.close(() => resolve()),
    );
    for (const socket of this.#sockets) {
      socket.destroy();
    }
    this.#sockets.clear();
    await closed;
  }

  async #listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const { port } = this.#server.address() as AddressInfo;
    this.#url = `http://127.0.0.1:${port}`;
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => req.socket.destroy());
    req.on('end', () => {
      if (this.#stopped) {
        req.socket.destroy();
        return;
      }
      this.#handle(req, res, Buffer.concat(chunks));
    });
  }

  #handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const params: Record<string, string> = {};
    const url = req.url ?? '/';
    const queryStart = url.indexOf('?');
    if (queryStart >= 0) {
      for (const [key, value] of new URLSearchParams(
        url.slice(queryStart + 1),
      )) {
        params[key] = value;
      }
    }
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
      params[key] = value;
    }

    const authHeader = req.headers.authorization;
    const auth = authHeader ? parseAuthorization(authHeader) : undefined;
    const tokenHeader = req.headers['x-amz-security-token'];
    const sessionToken = Array.isArray(tokenHeader)
      ? tokenHeader[0]
      : tokenHeader;

    const call: StsCall = {
      action: params.Action ?? '',
      accessKeyId: auth?.accessKeyId,
      region: auth?.region,
      params,
      sessionToken,
    };
    this.calls.push(call);

    const fault = this.#takeFault(call.action);
    const requestId = randomUUID();

    const respond = () => {
      if (fault === 'hang') {
        return; // answered never; stop() destroys the socket
      }
      if (fault === 'close') {
        req.socket.destroy();
        return;
      }
      if (fault) {
        this.#sendError(
          res,
          requestId,
          new StsError(
            fault.status,
            fault.code,
            fault.message ?? `Injected fault: ${fault.code}`,
          ),
        );
        return;
      }
      try {
        const xml = this.#dispatch(req, body, call, auth, requestId);
        this.#send(res, requestId, 200, xml);
      } catch (error) {
        if (error instanceof StsError) {
          this.#sendError(res, requestId, error);
        } else {
          this.#sendError(
            res,
            requestId,
            new StsError(500, 'InternalFailure', String(error)),
          );
        }
      }
    };

    if (this.delayMs > 0 && fault !== 'hang') {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        respond();
      }, this.delayMs);
      this.#timers.add(timer);
      req.socket.once('close', () => {
        clearTimeout(timer);
        this.#timers.delete(timer);
      });
    } else {
      respond();
    }
  }

  #takeFault(action: string): StsFault | undefined {
    const index = this.#faults.findIndex(
      entry => entry.action === undefined || entry.action === action,
    );
    if (index < 0) {
      return undefined;
    }
    const entry = this.#faults[index];
    entry.remaining -= 1;
    if (entry.remaining <= 0) {
      this.#faults.splice(index, 1);
    }
    return entry.fault;
  }

  /** Returns the XML body of a successful answer, or throws StsError. */
  #dispatch(
    req: IncomingMessage,
    body: Buffer,
    call: StsCall,
    auth: ParsedAuthorization | undefined,
    requestId: string,
  ): string {
    const { action, params } = call;
    switch (action) {
      case 'AssumeRole': {
        this.#authenticate(req, body, call, auth, true);
        return this.#assumeRole(action, params, requestId);
      }
      case 'AssumeRoleWithWebIdentity': {
        // Unsigned by design; a signature, if one is sent, must still be valid.
        this.#authenticate(req, body, call, auth, false);
        if (!params.WebIdentityToken) {
          throw new StsError(
            400,
            'InvalidIdentityToken',
            'The web identity token is missing or empty',
          );
        }
        return this.#assumeRole(action, params, requestId);
      }
      case 'GetCallerIdentity': {
        const key = this.#authenticate(req, body, call, auth, true)!;
        return this.#result(
          action,
          requestId,
          xmlElements({
            UserId: key.identity.userId,
            Account: key.identity.account,
            Arn: key.identity.arn,
          }),
        );
      }
      default:
        throw new StsError(
          400,
          'InvalidAction',
          `Could not find operation ${action} for version ${
            params.Version ?? ''
          }`,
        );
    }
  }

  /**
   * Checks the request's SigV4 signature. Returns the signing key, or
   * undefined for an unsigned request when `required` is false.
   */
  #authenticate(
    req: IncomingMessage,
    body: Buffer,
    call: StsCall,
    auth: ParsedAuthorization | undefined,
    required: boolean,
  ): KnownKey | undefined {
    if (!req.headers.authorization) {
      if (!required) {
        return undefined;
      }
      throw new StsError(
        403,
        'MissingAuthenticationToken',
        'Request is missing Authentication Token',
      );
    }
    if (!auth) {
      throw new StsError(
        400,
        'IncompleteSignature',
        'Authorization header requires Credential, SignedHeaders and Signature parameters, with algorithm AWS4-HMAC-SHA256.',
      );
    }
    const key = this.#keys.get(auth.accessKeyId);
    if (!key) {
      throw new StsError(
        403,
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
      );
    }
    if (key.sessionToken !== undefined) {
      if (call.sessionToken !== key.sessionToken) {
        throw new StsError(
          403,
          'InvalidClientTokenId',
          'The security token included in the request is invalid.',
        );
      }
      if (key.expiration && key.expiration.getTime() <= Date.now()) {
        throw new StsError(
          400,
          'ExpiredToken',
          'The security token included in the request is expired',
        );
      }
    } else if (call.sessionToken !== undefined) {
      throw new StsError(
        403,
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
      );
    }
    if (
      auth.service !== 'sts' ||
      auth.terminator !== 'aws4_request' ||
      !auth.signedHeaders.includes('host')
    ) {
      throw new StsError(
        403,
        'SignatureDoesNotMatch',
        `Credential should be scoped to correct service: 'sts'.`,
      );
    }
    const expected = computeSignature(req, body, auth, key.secretAccessKey);
    if (!signaturesEqual(expected, auth.signature)) {
      throw new StsError(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      );
    }
    return key;
  }

  #assumeRole(
    action: 'AssumeRole' | 'AssumeRoleWithWebIdentity',
    params: Record<string, string>,
    requestId: string,
  ): string {
    const { RoleArn: roleArn, RoleSessionName: sessionName } = params;
    if (!roleArn || !sessionName) {
      const missing = !roleArn ? 'roleArn' : 'roleSessionName';
      throw new StsError(
        400,
        'ValidationError',
        `1 validation error detected: Value null at '${missing}' failed to satisfy constraint: Member must not be null`,
      );
    }
    const role = parseRoleArn(roleArn);
    if (!role) {
      throw new StsError(400, 'ValidationError', `${roleArn} is invalid`);
    }
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
      throw new StsError(
        400,
        'ValidationError',
        `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
      );
    }
    if (params.DurationSeconds !== undefined) {
      const duration = Number(params.DurationSeconds);
      if (
        !Number.isInteger(duration) ||
        duration < MIN_DURATION_SECONDS ||
        duration > MAX_DURATION_SECONDS
      ) {
        throw new StsError(
          400,
          'ValidationError',
          `1 validation error detected: Value '${params.DurationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value between ${MIN_DURATION_SECONDS} and ${MAX_DURATION_SECONDS}`,
        );
      }
    }

    const roleId = `AROA${createHash('sha256')
      .update(roleArn)
      .digest('hex')
      .slice(0, 17)
      .toUpperCase()}`;
    const assumedRoleId = `${roleId}:${sessionName}`;
    const assumedRoleArn = `arn:${role.partition}:sts::${role.account}:assumed-role/${role.roleName}/${sessionName}`;

    issuedKeyCounter += 1;
    const accessKeyId = `ASIA${issuedKeyCounter
      .toString(36)
      .toUpperCase()
      .padStart(16, '0')}`;
    const secretAccessKey = randomBytes(30).toString('base64');
    const sessionToken = `IQoJb3JpZ2luX2VjE${randomBytes(96).toString(
      'base64',
    )}`;
    // Whole seconds, as STS reports them.
    const expiration = new Date(
      Math.floor(Date.now() / 1000) * 1000 +
        this.credentialLifetimeSeconds * 1000,
    );
    this.#keys.set(accessKeyId, {
      secretAccessKey,
      sessionToken,
      expiration,
      identity: {
        account: role.account,
        arn: assumedRoleArn,
        userId: assumedRoleId,
      },
    });

    const credentials = `<Credentials>${xmlElements({
      AccessKeyId: accessKeyId,
      SecretAccessKey: secretAccessKey,
      SessionToken: sessionToken,
      Expiration: isoSeconds(expiration),
    })}</Credentials>`;
    const assumedRoleUser = `<AssumedRoleUser>${xmlElements({
      AssumedRoleId: assumedRoleId,
      Arn: assumedRoleArn,
    })}</AssumedRoleUser>`;

    if (action === 'AssumeRole') {
      return this.#result(
        action,
        requestId,
        `${assumedRoleUser}${credentials}${xmlElements({
          SourceIdentity: params.SourceIdentity,
        })}`,
      );
    }

    const claims = decodeJwtClaims(params.WebIdentityToken) ?? {};
    return this.#result(
      action,
      requestId,
      `${credentials}${xmlElements({
        SubjectFromWebIdentityToken: claimString(claims.sub) ?? 'test-subject',
      })}${assumedRoleUser}${xmlElements({
        Provider: claimString(claims.iss) ?? 'test-provider',
        Audience: claimString(claims.aud) ?? 'sts.amazonaws.com',
        SourceIdentity: params.SourceIdentity,
      })}`,
    );
  }

  #result(action: string, requestId: string, inner: string): string {
    return (
      `<${action}Response xmlns="${STS_NAMESPACE}">` +
      `<${action}Result>${inner}</${action}Result>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
      `</${action}Response>`
    );
  }

  #sendError(res: ServerResponse, requestId: string, error: StsError): void {
    this.#send(
      res,
      requestId,
      error.status,
      `<ErrorResponse xmlns="${STS_NAMESPACE}">` +
        `<Error>${xmlElements({
          Type: error.type,
          Code: error.code,
          Message: error.message,
        })}</Error>` +
        `<RequestId>${requestId}</RequestId>` +
        `</ErrorResponse>`,
    );
  }

  #send(
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
}
