export { grub2Bootloader, grub2MenuEntries, parseBlsEntry, selectBootloader, shellQuote } from '../src/index.js';
export { sortedEntries as sortedEntriesForTest } from '../src/entries.js';
