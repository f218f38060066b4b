import { normalizeNamespace } from '../streams.options';

/** Every stream and key is written under the namespace, so parallel suites and deployments never meet. */
export function streamKey(namespace: string | undefined, stream: string): string {
  return `${normalizeNamespace(namespace)}${stream}`;
}
