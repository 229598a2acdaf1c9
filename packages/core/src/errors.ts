// The realm's last error, WSA error names and messages, and WinsockError for code that prefers throws.
import { native } from './binding.js';
import { WSA_ERROR_TABLE } from './errors.generated.js';

const byCode = new Map<number, readonly [string, number, string]>(WSA_ERROR_TABLE.map((row) => [row[1], row]));
const lastError = native.lastError;

/** The calling realm's ("thread's") last Winsock error. */
export function WSAGetLastError(): number {
  return lastError[0]!;
}

/** Sets the calling realm's last error, as WSASetLastError does. */
export function WSASetLastError(iError: number): void {
  lastError[0] = iError | 0;
}

/** `'WSAECONNRESET'` for 10054; `undefined` for a number that is no Winsock error code. */
export function wsaErrorName(code: number): string | undefined {
  return byCode.get(code)?.[0];
}

/** Winsock's message for a code; `'Unknown error <code>'` for a number that is no Winsock error code. */
export function wsaErrorMessage(code: number): string {
  return byCode.get(code)?.[2] ?? `Unknown error ${code}`;
}

/** A Winsock failure as an exception: `code` 10054, `name` 'WSAECONNRESET', `syscall` 'recv'. */
export class WinsockError extends Error {
  readonly code: number;
  readonly syscall: string | undefined;
  constructor(code: number, syscall?: string) {
    super(`${syscall ? `${syscall}() ` : ''}${wsaErrorMessage(code)} (${wsaErrorName(code) ?? 'unknown'} ${code})`);
    this.code = code;
    this.name = wsaErrorName(code) ?? 'WinsockError';
    this.syscall = syscall;
  }
  /** The realm's last error as a WinsockError. */
  static fromLastError(syscall?: string): WinsockError {
    return new WinsockError(WSAGetLastError(), syscall);
  }
}

/**
 * Throws WinsockError(WSAGetLastError()) when `result` is the failure value (SOCKET_ERROR and
 * INVALID_SOCKET are both -1); returns `result` otherwise. `wsaCheck(recv(s, buf, n, 0), 'recv')`.
 */
export function wsaCheck(result: number, syscall?: string, failure = -1): number {
  if (result === failure) throw WinsockError.fromLastError(syscall);
  return result;
}
