import type { Tri } from './context-types';

/** Kleene NOT: unknown stays unknown. */
export const triNot = (a: Tri): Tri => (a === 'unknown' ? a : !a);

/** Kleene AND: any false → false; else any unknown → unknown; else true. */
export function triAll(results: Iterable<Tri>): Tri {
  let sawUnknown = false;
  for (const r of results) {
    if (r === false) return false;
    if (r === 'unknown') sawUnknown = true;
  }
  return sawUnknown ? 'unknown' : true;
}

/** Kleene OR: any true → true; else any unknown → unknown; else false. */
export function triAny(results: Iterable<Tri>): Tri {
  let sawUnknown = false;
  for (const r of results) {
    if (r === true) return true;
    if (r === 'unknown') sawUnknown = true;
  }
  return sawUnknown ? 'unknown' : false;
}

/** Kleene OR of two values, for loops that fold results as they come (no array of them). */
export function triOr(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  return a === 'unknown' || b === 'unknown' ? 'unknown' : false;
}

/** Kleene AND of two values. */
export function triAnd(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  return a === 'unknown' || b === 'unknown' ? 'unknown' : true;
}
