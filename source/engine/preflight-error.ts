/** The target cannot be used as asked (unreachable, unknown tool, arguments that do not fit): one line. */
export class PreflightError extends Error {
  override readonly name = 'PreflightError';
}
