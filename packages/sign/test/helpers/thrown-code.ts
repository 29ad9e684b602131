// The `code` of what `fn` throws (OstreeError codes), or undefined when it does not throw.
export function thrownCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}
