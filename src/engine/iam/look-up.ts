import type { IamFacts, KnownIamFacts } from './iam-facts';

/** A value, or a promise of it when it needed I/O: steps of a diagnosis return this and await only a promise. */
export type MaybePromise<T> = T | Promise<T>;

type Answer<M extends keyof KnownIamFacts> = NonNullable<ReturnType<KnownIamFacts[M]>>;

/**
 * One IamFacts lookup: the source's known answer when it has one (no promise, no await), else the async method's.
 * The async method is called only when the known side has no answer, so a source is asked each question once.
 */
export function lookUp<M extends keyof KnownIamFacts>(
  facts: IamFacts,
  method: M,
  arg: string,
): MaybePromise<Answer<M>> {
  const known = facts.known;
  if (known !== undefined) {
    const answer = (known[method] as (a: string) => Answer<M> | undefined).call(known, arg);
    if (answer !== undefined) return answer;
  }
  return (facts[method] as (a: string) => Promise<Answer<M>>).call(facts, arg);
}

/** `f` of the value, now when it is one, after it settles when it is a promise (a rejection passes through). */
export function andThen<T, U>(value: MaybePromise<T>, f: (v: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}

/** The values of a list, as a list now when none is a promise, else as Promise.all gives them. */
export function allOf<T extends readonly unknown[]>(
  values: T,
): MaybePromise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  for (let i = 0; i < values.length; i++)
    if (values[i] instanceof Promise)
      return Promise.all(values) as Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }>;
  return values as unknown as { -readonly [K in keyof T]: Awaited<T[K]> };
}
