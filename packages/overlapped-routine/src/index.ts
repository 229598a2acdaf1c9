// Re-exports core, where the overlapped engine, the APC queue and the event objects live (one owner
// for the native surface), so a ported program imports everything from this package.
export * from '@winsock-models/core';
