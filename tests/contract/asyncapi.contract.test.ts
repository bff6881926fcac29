import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import YAML from 'yaml';
import { CLIENT_EVENT_SCHEMAS } from '@sealroom/contracts';
import { RealtimeContract } from '../../src/realtime/contract';
import { createRoom } from '../support/rooms';
import { startServer, type TestServer } from '../support/server';
import { upload } from '../support/multipart';
import { eventually } from '../support/storage';
import { collect, connect, contractViolations, join, newId, request as ask, sealed, type ClientSocket } from '../support/sockets';

const ROOT = path.resolve(__dirname, '..', '..');
const doc = YAML.parse(fs.readFileSync(path.join(ROOT, 'asyncapi.yaml'), 'utf8'));
const contract = new RealtimeContract();
type MessageDef = {
  name: string;
  payload: { $ref?: string; oneOf?: Array<{ $ref: string }> };
  examples?: Array<{ name: string; payload: unknown }>;
};
const messages = Object.entries(doc.components.messages as Record<string, MessageDef>);
const schemaNames = (m: MessageDef) => (m.payload.oneOf ?? [m.payload]).map((p) => (p.$ref as string).split('/').pop() as string);

/** Strings in `schema` (following $refs) not held to ASCII by an ASCII-only pattern, an enum or a const. */
function unrestrictedStrings(schema: unknown, where: string, seen = new Set<unknown>()): string[] {
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return [];
  seen.add(schema);
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === 'string') return unrestrictedStrings(doc.components.schemas[s.$ref.split('/').pop() as string], where, seen);
  // Anchored sequences of ASCII character classes, \d and escaped dots, each optionally repeated.
  const asciiPattern = /^\^(?:(?:\[[A-Za-z0-9_\\.-]+\]|\\d|\\.)(?:\{\d+(?:,\d*)?\}|[+*])?)+\$$/;
  const held = (typeof s.pattern === 'string' && asciiPattern.test(s.pattern)) || Array.isArray(s.enum) || s.const !== undefined;
  const here = s.type === 'string' && !held ? [where] : [];
  return [...here, ...Object.entries(s).flatMap(([key, value]) => unrestrictedStrings(value, `${where}/${key}`, seen))];
}

describe('asyncapi.yaml itself', () => {
  it('is valid for the official AsyncAPI parser', () => {
    const out = execFileSync(process.execPath, [path.join(ROOT, 'scripts/validate-asyncapi.mjs')], { encoding: 'utf8' });
    expect(out).toContain('valid AsyncAPI 3.0.0 document');
  });

  it('is refused by the validator when it is broken', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncapi-'));
    try {
      const broken = path.join(dir, 'broken.yaml');
      fs.writeFileSync(broken, fs.readFileSync(path.join(ROOT, 'asyncapi.yaml'), 'utf8').replace('action: receive', 'action: listen'));
      expect(() => execFileSync(process.execPath, [path.join(ROOT, 'scripts/validate-asyncapi.mjs'), broken], { stdio: 'pipe' })).toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(messages)('has examples for %s that match its own schema', (_key, message) => {
    expect(message.examples?.length ?? 0).toBeGreaterThan(0);
    for (const example of message.examples ?? []) {
      const ok = schemaNames(message).some((name) => contract.schema(name)(example.payload));
      expect({ example: example.name, ok }).toEqual({ example: example.name, ok: true });
    }
  });

  it('names every client event the server validates (the generated map matches the operations)', () => {
    const received = Object.values(doc.operations as Record<string, { action: string; messages: Array<{ $ref: string }> }>)
      .filter((op) => op.action === 'receive')
      .map((op) => {
        const [, , channel, , message] = op.messages[0].$ref.split('/'); // '#/channels/<channel>/messages/<message>'
        return doc.channels[channel].messages[message].$ref.split('/').pop() as string;
      })
      .map((key: string) => doc.components.messages[key].name)
      .sort();
    expect(Object.keys(CLIENT_EVENT_SCHEMAS).sort()).toEqual(received);
  });

  it('restricts every string a client sends to ASCII, so that its maxLength may count UTF-16 units (src/realtime/contract.ts)', () => {
    const all = Object.entries(CLIENT_EVENT_SCHEMAS).flatMap(([event, name]) => unrestrictedStrings(doc.components.schemas[name], event));
    expect(all).toEqual([]);
    // The check itself finds a free-text field.
    expect(unrestrictedStrings({ type: 'object', properties: { note: { type: 'string', maxLength: 9 } } }, 'x')).toEqual([
      'x/properties/note',
    ]);
  });

  it('gives each event a channel of its own whose address is the event name', () => {
    const channels = Object.values(doc.channels as Record<string, { address: string; messages: Record<string, { $ref: string }> }>);
    const events = channels.flatMap((channel) =>
      Object.values(channel.messages)
        .map((m) => doc.components.messages[m.$ref.split('/').pop() as string].name as string)
        .filter((name) => !name.endsWith(' ack'))
        .map((name) => [channel.address, name]),
    );
    expect(events).toHaveLength(11);
    for (const [address, name] of events) expect(address).toBe(name);
  });
});

describe('every message of asyncapi.yaml, exercised in both directions against the real server', () => {
  let server: TestServer;
  const sockets: ClientSocket[] = [];
  const seen = new Set<string>();

  beforeAll(async () => {
    server = await startServer({ env: { MESSAGE_BACKLOG: '5' } });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await server.close();
  });

  it('sends each client event, receives each server event and each kind of acknowledgement, all conforming', async () => {
    const room = await createRoom(server.url);
    const [a, b] = [connect(server.url), connect(server.url)];
    sockets.push(a, b);
    const record = (s: ClientSocket) => s.onAny((event: string) => seen.add(event));
    record(a);
    record(b);
    const expectOk = (reply: { ok: boolean }, name: string) => {
      expect(reply.ok).toBe(true);
      seen.add(`${name} ack`);
    };
    const expectError = (reply: { ok: boolean }, name: string) => {
      expect(reply.ok).toBe(false);
      seen.add(`${name} ack`);
    };

    const joinPayload = {
      protocol: 'sealroom/v2' as const,
      room_id: room.roomId,
      member_id: newId(),
      proof: room.proof('join'),
      profile: sealed(),
    };
    expect(contract.checkClientPayload('room:join', joinPayload)).toBeNull();
    await join(a, room);
    seen.add('room:join').add('room:join ack');
    expectError(await ask(b, 'room:join', { ...joinPayload, proof: room.proof('upload') }), 'room:join');
    expectOk(await ask(b, 'room:join', joinPayload), 'room:join');

    const message = { room_id: room.roomId, id: newId(), ...sealed() };
    expect(contract.checkClientPayload('message:send', message)).toBeNull();
    expectOk(await ask(a, 'message:send', message), 'message:send');
    seen.add('message:send');
    expectError(await ask(a, 'message:send', { ...message, room_id: 'not-my-room' }), 'message:send');

    const file = (await upload(server.url, room.roomId, room.proof('upload'), randomBytes(100))).json();
    const share = { room_id: room.roomId, file_id: file.file_id, ...sealed() };
    expect(contract.checkClientPayload('file:share', share)).toBeNull();
    expectOk(await ask(a, 'file:share', share), 'file:share');
    seen.add('file:share');
    expectError(await ask(a, 'file:share', { ...share, file_id: newId() }), 'file:share');

    const typing = collect(a, 'member:typing');
    expect(contract.checkClientPayload('room:typing', { room_id: room.roomId })).toBeNull();
    expectOk(await ask(b, 'room:typing', { room_id: room.roomId }), 'room:typing');
    seen.add('room:typing');
    await eventually(() => typing.length === 1, 'member:typing');
    expectError(await ask(b, 'room:typing', { room_id: 'not-my-room' }), 'room:typing');

    const closed = collect(a, 'room:closed');
    expectOk(await ask(b, 'room:leave', { room_id: room.roomId }), 'room:leave');
    seen.add('room:leave');
    expectError(await ask(b, 'room:leave', { room_id: room.roomId }), 'room:leave');
    await request(server.url).delete(`/rooms/${room.roomId}`).set('x-owner-signature', room.ownerSignature());
    await eventually(() => closed.length === 1, 'room:closed');

    const all = messages.map(([, m]) => m.name).sort();
    expect([...seen].filter((n) => all.includes(n)).sort()).toEqual(all);
    expect(contractViolations.splice(0)).toEqual([]);
  });
});
