/**
 * Pulling OSTree commits over HTTP from archive-mode remotes, verified object by object,
 * resumable, with an injected HTTP client (pure: no Node APIs).
 * @module
 */
export { resilientHttpClient, type ResilienceOptions } from './resilient.js';
export { pullLocal, type PullLocalOptions, type PullLocalResult } from './local.js';
export { pull, MAX_METADATA_SIZE, DEFAULT_CONCURRENCY, type PullOptions, type PullResult } from './pull.js';
export type { PullProgress } from './progress.js';
export {
  fetchHttpClient,
  remoteUrl,
  type HttpClient,
  type HttpRequestOptions,
  type HttpResponse,
  type FetchLike,
} from './http.js';
