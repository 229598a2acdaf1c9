// C's pointer arithmetic on a buffer, for the ports' `ptr->buf + ptr->sendbytes`.

/**
 * `buf + offset`: the bytes from offset on. Offset 0, the common case of an echo that went out in one
 * send, is the buffer itself: subarray() would allocate a view per message.
 */
export const plus = <T extends Uint8Array>(buf: T, offset: number): Uint8Array =>
  (offset === 0 ? buf : buf.subarray(offset));
