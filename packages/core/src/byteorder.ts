// Host <-> network byte order. The host order is this machine's; network order is big-endian.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const swap16 = (x: number): number => ((x & 0xff) << 8) | ((x >>> 8) & 0xff);
const swap32 = (x: number): number =>
  (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | ((x >>> 24) & 0xff)) >>> 0;

/** u_short host -> network. */
export function htons(hostshort: number): number {
  return LITTLE_ENDIAN ? swap16(hostshort & 0xffff) : hostshort & 0xffff;
}
/** u_short network -> host. */
export const ntohs = htons;
/** u_long host -> network. */
export function htonl(hostlong: number): number {
  return LITTLE_ENDIAN ? swap32(hostlong >>> 0) : hostlong >>> 0;
}
/** u_long network -> host. */
export const ntohl = htonl;

/** `MAKEWORD(low, high)`: WSAStartup's version word, `MAKEWORD(2, 2)` = 0x0202. */
export function MAKEWORD(bLow: number, bHigh: number): number {
  return ((bLow & 0xff) | ((bHigh & 0xff) << 8)) & 0xffff;
}
export const LOBYTE = (w: number): number => w & 0xff;
export const HIBYTE = (w: number): number => (w >>> 8) & 0xff;
export const LOWORD = (l: number): number => l & 0xffff;
export const HIWORD = (l: number): number => (l >>> 16) & 0xffff;
export const MAKELONG = (low: number, high: number): number => ((low & 0xffff) | ((high & 0xffff) << 16)) >>> 0;
