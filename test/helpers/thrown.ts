/** The fields tests read from a library error (checked by `code`, as users are told to). */
export interface CaughtError {
  code: string;
  field: string;
  value: unknown;
  message: string;
  maxIterations?: number;
  /** The error object itself. */
  error: unknown;
}

/** Runs `fn`, expecting it to throw synchronously; returns the error's fields. */
export function thrown(fn: () => unknown): CaughtError {
  try {
    fn();
  } catch (error) {
    const e = error as Partial<CaughtError>;
    return {
      code: e.code as string,
      field: e.field as string,
      value: e.value,
      message: e.message as string,
      ...(e.maxIterations === undefined ? {} : { maxIterations: e.maxIterations }),
      error,
    };
  }
  throw new Error('expected an error');
}
