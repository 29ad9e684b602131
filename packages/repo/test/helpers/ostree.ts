// Running real ostree from tests.
export { hasOstree, ostree, ostreeResult } from '../../../../test-vectors/trees/ostree.js';
