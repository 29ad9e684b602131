/**
 * Raw deflate as ostree writes it (.filez), and fast inflate
 * @module
 */
export {};
