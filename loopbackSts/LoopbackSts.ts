import { randomUUID } from 'node:crypto';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { answerAction } from './actions';
import { Credentials } from './authenticate';
import { FaultQueue } from './faults';
import { KeyStore } from './keys';
import { LoopbackOrganization } from './LoopbackOrganization';
import {
  answerOrganizationsAction,
  ORGANIZATIONS_TARGET,
  OrganizationsAction,
  sendJson,
  sendJsonError,
} from './organizationsActions';
import { errorXml, readParams, readTags, sendXml, StsError } from './protocol';
import { shapingOf } from './sessionShaping';
import { parseAuthorization } from './signature';
import {
  LoopbackStsOptions,
  ReceivedRequest,
  StsAction,
  StsCall,
  StsFault,
} from './types';

/**
 * A loopback implementation of the parts of AWS STS that this package uses,
 * speaking the real wire protocol (AWS Query, SigV4, XML) so that the
 * unmodified AWS SDK v3 can be pointed at it (`AWS_ENDPOINT_URL_STS` or an
 * explicit `endpoint`). It listens on 127.0.0.1 only. The same port also
 * answers the AWS Organizations listing actions (JSON 1.1, told apart by
 * their `X-Amz-Target` header) from {@link LoopbackSts.organization}, for
 * `AWS_ENDPOINT_URL_ORGANIZATIONS`.
 */
export class LoopbackSts {
  /** Starts a server listening on 127.0.0.1 on a free port. */
  static async start(options?: LoopbackStsOptions): Promise<LoopbackSts> {
    const server = new LoopbackSts(options ?? {});
    await server.#listen();
    return server;
  }

  /** The calls received, oldest first; at most `maxRecordedCalls` of them. */
  readonly calls: StsCall[] = [];
  credentialLifetimeSeconds: number;
  delayMs: number;
  /** The MaxSessionDuration of every role (see {@link LoopbackStsOptions}). */
  maxSessionDurationSeconds: number;
  /** See {@link LoopbackStsOptions.packedPolicyLimit}. */
  packedPolicyLimit: number;
  /** The organization the Organizations actions list; none until set. */
  organization?: LoopbackOrganization;

  #url = '';
  readonly #maxRecordedCalls: number;
  readonly #now: () => number;
  readonly #keys: KeyStore;
  readonly #faults = new FaultQueue();
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = false;

  private constructor(options: LoopbackStsOptions) {
    this.credentialLifetimeSeconds = options.credentialLifetimeSeconds ?? 3600;
    this.delayMs = options.delayMs ?? 0;
    this.maxSessionDurationSeconds = options.maxSessionDurationSeconds ?? 43200;
    this.packedPolicyLimit = options.packedPolicyLimit ?? Infinity;
    this.#maxRecordedCalls = options.maxRecordedCalls ?? 10_000;
    // Date.now looked up at each call, so a test that fakes the clock
    // fakes it here too.
    this.#now = options.now ?? (() => Date.now());
    this.#keys = new KeyStore({
      now: this.#now,
      forgetAfterMs: (options.forgetExpiredKeysAfterSeconds ?? 3600) * 1000,
    });
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

  callsOf(action: StsAction | OrganizationsAction): StsCall[] {
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
  injectFault(
    fault: StsFault,
    count: number = 1,
    action?: StsAction | OrganizationsAction,
  ): void {
    this.#faults.add(fault, count, action);
  }

  clearFaults(): void {
    this.#faults.clear();
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
    const request: ReceivedRequest = {
      method: req.method ?? 'POST',
      url: req.url ?? '/',
      rawHeaders: req.rawHeaders,
      body,
    };
    const target = req.headers['x-amz-target'];
    const organizationsAction =
      typeof target === 'string' && target.startsWith(ORGANIZATIONS_TARGET)
        ? target.slice(ORGANIZATIONS_TARGET.length)
        : undefined;
    const params = organizationsAction ? {} : readParams(request.url, body);
    const header = req.headers.authorization;
    const token = req.headers['x-amz-security-token'];
    const credentials: Credentials = {
      header,
      auth: header ? parseAuthorization(header) : undefined,
      sessionToken: Array.isArray(token) ? token[0] : token,
    };
    const call: StsCall = {
      action: organizationsAction ?? params.Action ?? '',
      accessKeyId: credentials.auth?.accessKeyId,
      region: credentials.auth?.region,
      params,
      tags: readTags(params),
      sessionToken: credentials.sessionToken,
      ...shapingOf(params),
    };
    this.#record(call);

    const fault = this.#faults.take(call.action);
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
        const message = fault.message ?? `Injected fault: ${fault.code}`;
        const error = new StsError(fault.status, fault.code, message);
        if (organizationsAction) {
          sendJsonError(res, requestId, error);
        } else {
          sendXml(res, requestId, error.status, errorXml(error, requestId));
        }
        return;
      }
      if (organizationsAction) {
        this.#answerOrganizations(
          res,
          request,
          credentials,
          organizationsAction,
          requestId,
        );
        return;
      }
      this.#answer(res, request, credentials, call, requestId);
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

  #record(call: StsCall): void {
    this.calls.push(call);
    if (this.calls.length > this.#maxRecordedCalls) {
      this.calls.splice(0, this.calls.length - this.#maxRecordedCalls);
    }
  }

  #answerOrganizations(
    res: ServerResponse,
    request: ReceivedRequest,
    credentials: Credentials,
    action: string,
    requestId: string,
  ): void {
    const context = {
      keys: this.#keys,
      now: this.#now(),
      organization: this.organization,
    };
    answerOrganizationsAction(context, request, credentials, action).then(
      json => sendJson(res, requestId, 200, json),
      error =>
        sendJsonError(
          res,
          requestId,
          error instanceof StsError
            ? error
            : new StsError(500, 'ServiceException', String(error)),
        ),
    );
  }

  #answer(
    res: ServerResponse,
    request: ReceivedRequest,
    credentials: Credentials,
    call: StsCall,
    requestId: string,
  ): void {
    const context = {
      keys: this.#keys,
      now: this.#now(),
      credentialLifetimeSeconds: this.credentialLifetimeSeconds,
      maxSessionDurationSeconds: this.maxSessionDurationSeconds,
      packedPolicyLimit: this.packedPolicyLimit,
    };
    answerAction(context, request, credentials, call, requestId).then(
      xml => sendXml(res, requestId, 200, xml),
      error => {
        const stsError =
          error instanceof StsError
            ? error
            : new StsError(500, 'InternalFailure', String(error));
        sendXml(res, requestId, stsError.status, errorXml(stsError, requestId));
      },
    );
  }
}
