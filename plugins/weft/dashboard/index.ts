// The weft dashboard plugin.
export { weftDashboard } from './plugin.js';
