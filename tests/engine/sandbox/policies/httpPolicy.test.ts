import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpPolicy } from '../../../../engine/sandbox/policies/httpPolicy.ts';
import { observationFromJson, type ObservationJson } from '../../../../engine/sandbox/policies/policyWire.ts';
import { tinyObservation } from './tinyObservation.ts';

/** A real policy server: answers each act with facts about what it received, so the round trip is checked end to end. */
let server: Server;
let base = '';
const resets: number[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.url === '/error') return void response.writeHead(500).end('model crashed');
      if (request.url === '/text') return void response.writeHead(200).end('forward please');
      if (request.url === '/bad') return void response.writeHead(200).end('{"forward": null}');
      const message = JSON.parse(body) as { type: string; seed?: number; observation?: ObservationJson };
      if (message.type === 'reset') {
        resets.push(message.seed!);
        return void response.writeHead(204).end();
      }
      const observation = observationFromJson(message.observation!);
      const sum = observation.image.reduce((a, b) => a + b, 0);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ forward: observation.width / 8, yawRate: sum, pitchRate: observation.proprio.velocity[1], interact: observation.target.id === 'pillar-blue' && observation.goal?.color === 0xe0262b }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('httpPolicy', () => {
  it('posts reset and the observation (image as base64) and reads the action back', async () => {
    const policy = httpPolicy(`${base}/act`);
    expect(policy.name).toBe(`http:${base.slice('http://'.length)}/act`);
    await policy.reset?.(42);
    expect(resets).toEqual([42]);
    const observation = tinyObservation();
    const action = await policy.act(observation);
    expect(action).toEqual({ forward: 0.5, strafe: 0, yawRate: observation.image.reduce((a, b) => a + b, 0), pitchRate: -0.5, jump: false, interact: true });
  });

  it('explains bad URLs, unreachable servers, errors and bad replies', async () => {
    expect(() => httpPolicy('localhost:8000')).toThrow(/expected an http:\/\/ or https:\/\/ URL/);
    expect(() => httpPolicy('not a url')).toThrow(/is not a URL/);
    expect(() => httpPolicy('not a url')).toThrow(expect.objectContaining({ code: 'bad-policy' }));
    await expect(httpPolicy(`${base}/error`).act(tinyObservation())).rejects.toThrow(/answered 500 Internal Server Error: model crashed/);
    await expect(httpPolicy(`${base}/error`).act(tinyObservation())).rejects.toThrow(expect.objectContaining({ code: 'policy-failed' }));
    await expect(httpPolicy(`${base}/text`).act(tinyObservation())).rejects.toThrow(/not JSON: "forward please"/);
    await expect(httpPolicy(`${base}/bad`).act(tinyObservation())).rejects.toThrow(/"forward" must be a finite number, found null/);
    await expect(httpPolicy(`${base}/bad`).act(tinyObservation())).rejects.toThrow(expect.objectContaining({ code: 'bad-action' }));
    // A port nothing listens on: take one from a server and close it.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(httpPolicy(`http://127.0.0.1:${port}/`).act(tinyObservation())).rejects.toThrow(/could not reach .*ECONNREFUSED; is the policy server running\?/);
  });
});
