/**
 * `ostree pull REMOTE [BRANCH...]`: fetch commits from an archive repository over HTTP(S) (or
 * a `file://` repository of any mode), verifying every object before it is stored
 * (@ostree-ts/pull). Without BRANCH, the remote's configured `branches` are pulled, or with
 * `--mirror` every ref of the remote. Prints ostree's final summary line; on a terminal, a live
 * progress line before it.
 * @module
 */
import { pull, type HttpClient, type PullOptions } from '@ostree-ts/pull';
import { nodeHttpClient } from '@ostree-ts/pull/node';
import { openRepo, remoteGroup } from '@ostree-ts/repo';
import { repoOf, usageError, type CommandSpec } from '../command.js';
import { CliError } from '../errors.js';
import { formatPullSummary, TerminalProgress } from '../pull-progress.js';

/** Adds fixed headers (`--http-header NAME=VALUE`) to every request. */
function withHeaders(inner: HttpClient, headers: Record<string, string>): HttpClient {
  return { request: (url, options = {}) => inner.request(url, { ...options, headers: { ...headers, ...options.headers } }) };
}

export const pullCommand: CommandSpec = {
  name: 'pull',
  description: 'Download data from remote repository',
  parameters: 'REMOTE [BRANCH...]',
  repo: 'open',
  options: [
    { long: 'commit-metadata-only', arg: 'none', description: 'Fetch only the commit metadata' },
    { long: 'disable-fsync', arg: 'none', description: 'Do not invoke fsync()' },
    { long: 'disable-static-deltas', arg: 'none', description: 'Do not use static deltas' },
    { long: 'require-static-deltas', arg: 'none', description: 'Require static deltas' },
    { long: 'mirror', arg: 'none', description: 'Write refs suitable for a mirror and fetches all refs if none provided' },
    { long: 'subpath', arg: 'strings', description: 'Only pull the provided subpath(s)' },
    { long: 'untrusted', arg: 'none', description: 'Verify checksums of local sources (always enabled for HTTP pulls)' },
    { long: 'http-trusted', arg: 'none', description: 'Do not verify checksums of HTTP sources (mostly useful when mirroring)' },
    { long: 'depth', arg: 'int', argName: 'DEPTH', description: 'Traverse DEPTH parents (-1=infinite) (default: 0)' },
    { long: 'url', arg: 'string', argName: 'URL', description: 'Pull objects from this URL instead of the one from the remote config' },
    { long: 'http-header', arg: 'strings', argName: 'NAME=VALUE', description: 'Add NAME=VALUE as HTTP header to all requests' },
    { long: 'update-frequency', arg: 'int', argName: 'FREQUENCY', description: 'Sets the update frequency, in milliseconds (0=1000ms) (default: 0)' },
    { long: 'network-retries', arg: 'int', argName: 'N', description: 'Specifies how many times each download should be retried upon error (default: 5)' },
    { long: 'disable-verify-bindings', arg: 'none', description: 'Do not verify commit bindings' },
  ],
  async run(inv) {
    const repo = repoOf(inv);
    const o = inv.options;
    if (inv.args.length < 1) usageError('REMOTE must be specified');
    const [remoteArg, ...rest] = inv.args as [string, ...string[]];
    // `REMOTE:REF` as the only argument means one ref from that remote.
    const colon = rest.length === 0 ? remoteArg.indexOf(':') : -1;
    const remote = colon >= 0 ? remoteArg.slice(0, colon) : remoteArg;
    const mirror = o.flag('mirror');
    let refs = colon >= 0 ? [remoteArg.slice(colon + 1)] : rest;
    if (refs.length === 0) {
      const group = remoteGroup(remote);
      refs = repo.config.hasKey(group, 'branches') ? repo.config.getStringList(group, 'branches') : [];
      if (refs.length === 0 && !mirror) throw new CliError('No configured branches for remote ' + remote);
    }
    const headers: Record<string, string> = {};
    for (const h of o.strings('http-header')) {
      const eq = h.indexOf('=');
      if (eq < 0) throw new CliError(`Missing '=' in --http-header`);
      headers[h.slice(0, eq)] = h.slice(eq + 1);
    }
    if (o.flag('disable-fsync')) repo.settings = { ...repo.settings, fsync: false };

    const terminal = inv.ctx.stdoutIsTerminal ? new TerminalProgress((t) => void inv.ctx.print(t).then(() => inv.ctx.out.flush())) : undefined;
    const depth = o.int('depth');
    const url = o.string('url');
    const retries = o.int('network-retries');
    const options: PullOptions = {
      remote,
      refs,
      mirror,
      commitMetadataOnly: o.flag('commit-metadata-only'),
      disableVerifyBindings: o.flag('disable-verify-bindings'),
      ...(o.strings('subpath').length > 0 ? { subpaths: o.strings('subpath') } : {}),
      ...(depth !== undefined ? { depth } : {}),
      ...(url !== undefined ? { url } : {}),
      ...(retries !== undefined ? { retries } : {}),
      // Node's http with keep-alive: much less work per request than fetch for thousands of objects.
      http: Object.keys(headers).length > 0 ? withHeaders(nodeHttpClient(), headers) : nodeHttpClient(),
      ...(terminal !== undefined ? { onProgress: (p) => terminal.update(p) } : {}),
      ...(o.flag('disable-static-deltas') ? { disableStaticDeltas: true } : {}),
      ...(o.flag('require-static-deltas') ? { requireStaticDeltas: true } : {}),
    };
    // The CLI's filesystem makes direct (blocking) calls, which suit local work; a pull overlaps
    // network and disk, so it runs on the thread-pool filesystem instead.
    const { nodeFs } = await import('@ostree-ts/io-node');
    const pullRepo = await openRepo(nodeFs(), repo.path);
    pullRepo.settings = repo.settings;
    const result = await pull(pullRepo, options);
    const line = formatPullSummary(result.progress, result.local === true);
    if (terminal !== undefined) terminal.finish(line);
    else await inv.ctx.print(`${line}\n`);
  },
};
