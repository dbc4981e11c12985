// Errors a handler raises on purpose; anything else is reported as `internal` without its stack.
import type { ApiErrorBody } from '../../preload/contract';

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorBody['code'],
    message: string,
  ) {
    super(message);
  }
}

export function notFound(what: string): ApiError {
  return new ApiError('not_found', `${what} not found`);
}
