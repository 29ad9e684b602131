/**
 * `--help` text in the layout of GLib's g_option_context_get_help(), which ostree prints for
 * every command (and, on a usage error, to stderr before the message).
 * @module
 */
import type { OptionSpec } from './goption.js';

/** What a help screen shows. */
export interface HelpContent {
  /** Program and command, e.g. `ostree-ts refs`. */
  readonly program: string;
  /** Parameter string after `[OPTION…]`, e.g. `[PREFIX]`. */
  readonly parameters: string;
  /** The summary paragraph (command description and, for command groups, the command list). */
  readonly summary?: string;
  /** Options in the order they are listed. */
  readonly options: readonly OptionSpec[];
}

function width(s: string): number {
  return [...s].length;
}

function entryWidth(o: OptionSpec): number {
  let len = width(o.long);
  if (o.short !== undefined) len += 4;
  if (o.arg !== 'none' && o.argName !== undefined) len += 1 + width(o.argName);
  return len;
}

/** Formats a help screen. */
export function formatHelp(h: HelpContent): string {
  const seen = new Set<string>();
  const visible = h.options
    .filter((o) => !o.hidden)
    .map((o) => {
      if (o.short === undefined) return o;
      if (seen.has(o.short)) return { ...o, short: undefined };
      seen.add(o.short);
      return o;
    });
  const maxLength = Math.max(width('-?, --help'), ...visible.map(entryWidth)) + 4;
  let s = `Usage:\n  ${h.program} [OPTION…]`;
  if (h.parameters !== '') s += ` ${h.parameters}`;
  s += '\n\n';
  if (h.summary !== undefined) s += `${h.summary}\n\n`;
  s += `Help Options:\n  -h, --${'help'.padEnd(maxLength - 4)} Show help options\n\n`;
  if (visible.length > 0) {
    s += 'Application Options:\n';
    for (const o of visible) {
      let left = o.short !== undefined ? `  -${o.short}, --${o.long}` : `  --${o.long}`;
      if (o.argName !== undefined && o.arg !== 'none') left += `=${o.argName}`;
      s += `${left}${' '.repeat(Math.max(0, maxLength + 4 - width(left)))} ${o.description}\n`;
    }
    s += '\n';
  }
  return s;
}

/** A "Builtin Commands:" style list, as ostree builds its command-group summaries. */
export function formatCommandList(title: string, commands: readonly { name: string; description: string }[]): string {
  return [title, ...commands.map((c) => `  ${c.name.padEnd(18)}${c.description}`)].join('\n');
}
