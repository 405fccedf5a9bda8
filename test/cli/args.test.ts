import { ArgsError, parseArgs } from '../../src/cli/args';

const SPECS = {
  event: { type: 'string' },
  'iam-snapshot': { type: 'string', multiple: true },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function errorOf(argv: string[]): string {
  try {
    parseArgs(argv, SPECS);
  } catch (err) {
    expect(err).toBeInstanceOf(ArgsError);
    return (err as Error).message;
  }
  throw new Error('expected an ArgsError');
}

describe('parseArgs', () => {
  it('reads --flag value, --flag=value, repeated flags, booleans, short aliases and positionals', () => {
    const parsed = parseArgs(
      [
        '--event',
        'e.json',
        '--iam-snapshot=a.json',
        '--iam-snapshot',
        'b.json',
        '--json',
        '-h',
        'extra',
        '--',
        '--literal',
      ],
      SPECS,
    );
    expect(parsed.flags).toEqual({ event: 'e.json', 'iam-snapshot': ['a.json', 'b.json'], json: true, help: true });
    expect(parsed.positionals).toEqual(['extra', '--literal']);
  });

  it('rejects bad command lines with one-line messages', () => {
    expect(errorOf(['--evnt', 'x'])).toBe('unknown flag --evnt');
    expect(errorOf(['-x'])).toBe('unknown flag -x');
    expect(errorOf(['--event'])).toBe('flag --event needs a value');
    expect(errorOf(['--event', '--json'])).toBe('flag --event needs a value');
    expect(errorOf(['--event='])).toBe('flag --event needs a non-empty value');
    expect(errorOf(['--json=yes'])).toBe('flag --json does not take a value');
    expect(errorOf(['--event', 'a', '--event', 'b'])).toBe('flag --event given more than once');
    expect(errorOf(['--constructor', 'x'])).toBe('unknown flag --constructor');
  });

  it('accepts "-" as a value and as a positional', () => {
    expect(parseArgs(['--event', '-', '-'], SPECS)).toEqual({ flags: { event: '-' }, positionals: ['-'] });
  });
});
