/**
 * OSTree sysroots: deployments, /etc merge, bootlinks, atomic boot switch
 * @module
 */
export {};
