// The weft plugins: the coordinator (service:weft, NATS API) and its REST API.
export { weftCoordinator } from './coordinator/plugin.js';
export { weftApi } from './api/plugin.js';
export { weftOperations, type WeftOperation } from './operations/index.js';
