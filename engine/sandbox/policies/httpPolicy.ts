import { NextframeError } from '../../../worldmodel/index.ts';
import type { Observation, Policy, PolicyAction } from '../types.ts';
import { actionFromJson, observationToJson } from './policyWire.ts';

export interface HttpPolicyOptions {
  /** Name shown in reports. Default: the URL's host and path. */
  name?: string;
  /** Per-request limit, ms. Default 10 000. */
  timeoutMs?: number;
}

/**
 * A policy served over HTTP, in any language. Each tick: `POST url` with
 * `{ "type": "act", "observation": ObservationJson }` and the reply body is the action JSON
 * (`{ "forward": 1, "yawRate": 0.3 }`; missing fields are idle). At each episode start:
 * `POST url` with `{ "type": "reset", "seed": n }`; its reply is ignored, so a server that only
 * knows "act" still works as long as it answers 2xx.
 */
export function httpPolicy(url: string, options: HttpPolicyOptions = {}): Policy {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new NextframeError('bad-policy', `httpPolicy: "${url}" is not a URL; expected e.g. http://localhost:8000/act.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new NextframeError('bad-policy', `httpPolicy: expected an http:// or https:// URL, found "${url}".`);
  }
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function post(body: unknown): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(parsed, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error instanceof Error ? error.name : String(error));
      const hint = cause === 'TimeoutError' ? `no reply within ${timeoutMs} ms` : `${cause}; is the policy server running?`;
      throw new NextframeError('policy-failed', `httpPolicy: could not reach ${url} (${hint}).`, { cause: error });
    }
    if (!response.ok) {
      const text = (await response.text()).slice(0, 200);
      throw new NextframeError('policy-failed', `httpPolicy: ${url} answered ${response.status} ${response.statusText}${text ? `: ${text}` : ''}. Check the policy server's log.`);
    }
    return response;
  }

  return {
    name: options.name ?? `http:${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`,
    async reset(seed: number): Promise<void> {
      await (await post({ type: 'reset', seed })).arrayBuffer();
    },
    async act(observation: Observation): Promise<PolicyAction> {
      const text = await (await post({ type: 'act', observation: observationToJson(observation) })).text();
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new NextframeError('policy-failed', `httpPolicy: ${url} replied with something that is not JSON: ${JSON.stringify(text.slice(0, 80))}. Reply with an action like {"forward": 1, "yawRate": 0}.`);
      }
      return actionFromJson(value, `httpPolicy: ${url}`);
    },
  };
}
