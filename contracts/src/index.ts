export * from './common.js';
export * from './identity.js';
export * from './audit.js';
export * from './messages.js';
export * from './charging.js';
export * from './analytics.js';
