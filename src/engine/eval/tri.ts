import type { Tri } from './context-types';

/** Three-valued AND: false dominates, then unknown. */
export function triAnd(...values: Tri[]): Tri {
  if (values.includes(false)) return false;
  return values.includes('unknown') ? 'unknown' : true;
}

/** Three-valued OR: true dominates, then unknown. */
export function triOr(values: Tri[]): Tri {
  if (values.includes(true)) return true;
  return values.includes('unknown') ? 'unknown' : false;
}
