/**
 * GVariant serialisation, byte-identical to GLib's normal form
 * @module
 */
export {};
