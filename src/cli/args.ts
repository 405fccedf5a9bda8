/**
 * A small command-line flag parser for the trustgap CLI (no dependency, and unlike node:util parseArgs its
 * errors are one short line that can be shown to the user as is).
 *
 * Accepted forms: `--name value`, `--name=value`, `-x value` (declared short aliases), `--flag` for booleans,
 * and `--` to end flag parsing. Positional arguments are collected in order.
 */

export interface FlagSpec {
  type: 'string' | 'boolean';
  /** A string flag that may be given several times; its values are collected in order. */
  multiple?: boolean;
  /** One-letter alias, without the dash. */
  short?: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

export type FlagValues<S extends FlagSpecs> = {
  [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : S[K]['multiple'] extends true ? string[] : string;
};

export interface ParsedArgs<S extends FlagSpecs> {
  flags: FlagValues<S>;
  positionals: string[];
}

/** A user error in the command line; the message is one line, meant to be printed as is. */
export class ArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgsError';
  }
}

export function parseArgs<S extends FlagSpecs>(argv: readonly string[], specs: S): ParsedArgs<S> {
  const flags: Record<string, string | string[] | boolean> = {};
  const positionals: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.short) byShort.set(spec.short, name);
  }

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }

    const eq = arg.indexOf('=');
    const rawName = eq >= 0 ? arg.slice(0, eq) : arg;
    const inlineValue = eq >= 0 ? arg.slice(eq + 1) : undefined;
    const name = rawName.startsWith('--') ? rawName.slice(2) : byShort.get(rawName.slice(1));
    const spec = name !== undefined && Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (name === undefined || spec === undefined) throw new ArgsError(`unknown flag ${rawName}`);

    if (spec.type === 'boolean') {
      if (inlineValue !== undefined) throw new ArgsError(`flag ${rawName} does not take a value`);
      flags[name] = true;
      continue;
    }

    let value = inlineValue;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-')) {
        throw new ArgsError(`flag ${rawName} needs a value`);
      }
      value = next;
      i++;
    }
    if (value === '') throw new ArgsError(`flag ${rawName} needs a non-empty value`);

    if (spec.multiple) {
      const list = (flags[name] as string[] | undefined) ?? [];
      list.push(value);
      flags[name] = list;
    } else {
      if (flags[name] !== undefined) throw new ArgsError(`flag ${rawName} given more than once`);
      flags[name] = value;
    }
  }
  return { flags: flags as FlagValues<S>, positionals };
}
