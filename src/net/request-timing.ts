// Where a request's time went: a new connection's DNS, TCP and TLS (timed in undici's connector, the one place
// that sees the socket before it connects) and the wait for the answer's headers (undici's diagnostics channels).
import diagnostics from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { buildConnector } from 'undici';

export interface RequestTiming {
  /** The request went on a connection opened for an earlier one (keep-alive): no DNS, TCP or TLS time. */
  reused: boolean;
  dnsMs?: number;
  /** TCP handshake, after DNS. */
  connectMs?: number;
  /** TLS handshake, after TCP. */
  tlsMs?: number;
  /** From the request's headers leaving to the answer's status line and headers arriving. */
  firstByteMs?: number;
}

interface ConnectionPhases {
  dnsMs?: number;
  connectMs?: number;
  tlsMs?: number;
  /** The first request on the connection carries its phases; later ones are reused. */
  claimed: boolean;
}

interface PendingRequest {
  timing: RequestTiming;
  sentAt?: number;
}

/** The far end of the connection a request went on (semconv network.peer.*). */
export interface Peer {
  address: string;
  port: number;
}

const CREATE = 'undici:request:create';
const SEND_HEADERS = 'undici:client:sendHeaders';
const HEADERS = 'undici:request:headers';

/** One per HttpClient: its connector times connections, its channel subscriptions time its requests. */
export class RequestTimer {
  readonly #connections = new WeakMap<Socket, ConnectionPhases>();
  readonly #requests = new WeakMap<object, PendingRequest>();
  readonly #peers = new WeakMap<RequestTiming, Peer>();
  #claiming: PendingRequest | undefined;

  readonly #onCreate = (message: unknown): void => {
    // undici creates the request synchronously inside dispatch(), so only our own call can be claiming.
    if (this.#claiming) this.#requests.set((message as { request: object }).request, this.#claiming);
  };

  readonly #onSendHeaders = (message: unknown): void => {
    const { request, socket } = message as { request: object; socket: Socket };
    const pending = this.#requests.get(request);
    if (!pending) return;
    pending.sentAt = performance.now();
    if (socket.remoteAddress && socket.remotePort) {
      this.#peers.set(pending.timing, { address: socket.remoteAddress, port: socket.remotePort });
    }
    const phases = this.#connections.get(socket);
    if (!phases || phases.claimed) return;
    phases.claimed = true;
    pending.timing.reused = false;
    const { dnsMs, connectMs, tlsMs } = phases;
    Object.assign(pending.timing, defined({ dnsMs, connectMs, tlsMs }));
  };

  readonly #onHeaders = (message: unknown): void => {
    const pending = this.#requests.get((message as { request: object }).request);
    if (pending?.sentAt !== undefined) pending.timing.firstByteMs = round(performance.now() - pending.sentAt);
  };

  constructor() {
    diagnostics.subscribe(CREATE, this.#onCreate);
    diagnostics.subscribe(SEND_HEADERS, this.#onSendHeaders);
    diagnostics.subscribe(HEADERS, this.#onHeaders);
  }

  /** Calls `dispatch` (which must create its undici request synchronously) and returns that request's timing. */
  track(dispatch: () => void): RequestTiming {
    const pending: PendingRequest = { timing: { reused: true } };
    this.#claiming = pending;
    try {
      dispatch();
    } finally {
      this.#claiming = undefined;
    }
    return pending.timing;
  }

  /** The peer of the request whose timing `track` returned, once its headers went out on a connection. */
  peerOf(timing: RequestTiming): Peer | undefined {
    return this.#peers.get(timing);
  }

  /** undici's connector, with each new socket's DNS, TCP and TLS phases noted. */
  connector(): buildConnector.connector {
    const base = buildConnector({});
    return (options, callback) => {
      const started = performance.now();
      const phases: ConnectionPhases = { claimed: false };
      let mark = started;
      const lap = () => {
        const now = performance.now();
        const ms = round(now - mark);
        mark = now;
        return ms;
      };
      const tls = options.protocol === 'https:';
      const socket = base(options, ((err: Error | null, connected: Socket | null) => {
        // Called back on 'connect' (TLS: 'secureConnect'), before any listener added below it.
        if (tls) phases.tlsMs = lap();
        else phases.connectMs = lap();
        if (!err && connected) this.#connections.set(connected, phases);
        (callback as (e: Error | null, s: Socket | null) => void)(err, connected);
      }) as buildConnector.Callback) as unknown as Socket;
      socket.once('lookup', () => (phases.dnsMs = lap()));
      if (tls) socket.once('connect', () => (phases.connectMs = lap()));
      return socket;
    };
  }

  close(): void {
    diagnostics.unsubscribe(CREATE, this.#onCreate);
    diagnostics.unsubscribe(SEND_HEADERS, this.#onSendHeaders);
    diagnostics.unsubscribe(HEADERS, this.#onHeaders);
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
