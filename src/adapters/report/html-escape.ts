/**
 * Every string in the report can come from an event, so from an attacker: all text goes through escapeHtml (also
 * in attributes, always double-quoted), and no value ever becomes a link or an attribute name. Bidi overrides and
 * control characters, which could make text read as something it is not, are shown as U+FFFD.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// biome-friendly: built from code points so the source holds no invisible characters.
const HIDDEN = new RegExp(
  `[${String.fromCharCode(0)}-${String.fromCharCode(8)}${String.fromCharCode(11)}${String.fromCharCode(12)}${String.fromCharCode(14)}-${String.fromCharCode(31)}${String.fromCharCode(127)}-${String.fromCharCode(159)}${String.fromCharCode(0x202a)}-${String.fromCharCode(0x202e)}${String.fromCharCode(0x2066)}-${String.fromCharCode(0x2069)}]`,
  'g',
);

export function escapeHtml(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  return text.replace(HIDDEN, '\uFFFD').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
