// The error a call throws or rejects with, for tests that then look at it; a call that succeeds fails the test.
export async function failure(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}
