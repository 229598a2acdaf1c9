// Re-exports the core names a ported program needs, so it imports from one place. This model's own
// calls arrive with its issue.
export * from '@winsock-models/core';
