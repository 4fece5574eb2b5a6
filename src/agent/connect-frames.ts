import { saysAuthUnavailable } from '../net/auth-unavailable.ts';

// What a frame says while the socket is being opened: a welcome (the backend accepted the connection), an
// error frame (why it did not), or something else. One reader for every shape recorded on staging
// (docs/agent-events.md, "Connect-time frames"), with no I/O.

/** The three welcome shapes recorded on staging (netra-protocol.md §3 and its checklist). */
export type WelcomeShape = 'connection_established' | 'system_message' | 'connect';

/** Why an error frame says the connection failed. */
export type ErrorClass =
  /** The backend refused the token or the handshake: AUTH_FAILED, AUTH_REQUIRED, VALIDATION_FAILED (WS:842). */
  | 'auth'
  /** The backend's own failure: CONNECTION_ERROR with details.error_type (WS:1801-1826), SERVICE_INIT_FAILED. */
  | 'backend'
  /** The backend cannot reach the auth service, or its auth circuit breaker is open. */
  | 'unavailable'
  | 'other';

export type ConnectFrame =
  | {
      kind: 'welcome';
      shape: WelcomeShape;
      /** As sent: the backend cuts it to 8 characters plus "..." (WS:974-990). */
      userId?: string;
      connectionId?: string;
      mode?: string;
    }
  | {
      kind: 'error';
      errorClass: ErrorClass;
      code?: string;
      message?: string;
      /** details.error_type: the exception the backend caught (e.g. TypeError). */
      errorType?: string;
      /** The fields came under `data` (create_server_message) rather than flat (create_error_message). */
      nested: boolean;
    }
  | { kind: 'other' };

// The main route's AUTH_FAILED (websocket_ssot.py:842) and the SSOT authenticator's codes
// (unified_websocket_auth.py:727-735 sends them in an authentication_error frame; 833-842 closes 1011 for most).
const AUTH_CODES = new Set([
  'AUTH_FAILED',
  'AUTH_REQUIRED',
  'VALIDATION_FAILED',
  'NO_TOKEN',
  'INVALID_FORMAT',
  'TOKEN_EXPIRED',
  'WEBSOCKET_AUTH_ERROR',
]);
// AUTH_SERVICE_ERROR and AUTH_CIRCUIT_BREAKER_OPEN: the backend could not ask the auth service.
const UNAVAILABLE_CODES = new Set(['AUTH_SERVICE_ERROR', 'AUTH_CIRCUIT_BREAKER_OPEN']);
// The backend's own failures: websocket_ssot.py:1815 (CONNECTION_ERROR, details.error_type), 926 (SERVICE_INIT_FAILED).
const BACKEND_CODES = new Set(['CONNECTION_ERROR', 'SERVICE_INIT_FAILED']);
const ERROR_TYPES = new Set(['error_message', 'error', 'authentication_error']);

type Fields = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Fields => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Fields) : {});

export function readConnectFrame(frame: unknown): ConnectFrame {
  const top = obj(frame);
  const data = obj(top.data);
  const welcome = welcomeShape(top.type, data);
  if (welcome) {
    const out: ConnectFrame = { kind: 'welcome', shape: welcome };
    const userId = str(data.user_id) ?? str(top.user_id);
    const connectionId = str(data.connection_id) ?? str(top.connection_id);
    const mode = str(data.mode);
    if (userId !== undefined) out.userId = userId;
    if (connectionId !== undefined) out.connectionId = connectionId;
    if (mode !== undefined) out.mode = mode;
    return out;
  }
  if (ERROR_TYPES.has(String(top.type)) || ERROR_TYPES.has(String(data.type))) return readError(top, data);
  return { kind: 'other' };
}

function welcomeShape(type: unknown, data: Fields): WelcomeShape | undefined {
  if (type === 'connection_established') return 'connection_established';
  // The 2025-09-08/10 backend: a system_message whose data.event names it.
  if (type === 'system_message' && data.event === 'connection_established') return 'system_message';
  // Recorded on staging 2025-09-13/14: {"type":"connect","data":{"mode","user_id","connection_id"}}.
  if (type === 'connect' && (str(data.connection_id) ?? str(data.user_id)) !== undefined) return 'connect';
  return undefined;
}

function readError(top: Fields, data: Fields): ConnectFrame {
  const flat = str(top.error_code) !== undefined || str(top.error_message) !== undefined;
  const fields = flat ? top : data;
  const code = str(fields.error_code) ?? str(fields.code);
  const message = str(fields.error_message) ?? str(fields.message) ?? str(fields.error);
  const errorType = str(obj(fields.details).error_type);
  const out: ConnectFrame = { kind: 'error', errorClass: classify(code, message, errorType), nested: !flat };
  if (code !== undefined) out.code = code;
  if (message !== undefined) out.message = message;
  if (errorType !== undefined) out.errorType = errorType;
  return out;
}

function classify(code: string | undefined, message: string | undefined, errorType: string | undefined): ErrorClass {
  const upper = code?.toUpperCase() ?? '';
  if (UNAVAILABLE_CODES.has(upper) || saysAuthUnavailable(`${code ?? ''} ${message ?? ''}`)) return 'unavailable';
  if (AUTH_CODES.has(upper)) return 'auth';
  if (BACKEND_CODES.has(upper) || errorType !== undefined) return 'backend';
  return 'other';
}
