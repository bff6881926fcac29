import { File, Text } from '@asyncapi/generator-react-sdk';

/*
 * Emits realtime-events.ts: one TypeScript type per component schema of asyncapi.yaml, and socket.io's typed event
 * maps. Operations the server `receive`s become ClientToServerEvents (their `reply` is the ack's type);
 * operations it `send`s become ServerToClientEvents. The Socket.IO event name is each message's `name`.
 */

const HEADER = `// DO NOT EDIT. Generated from asyncapi.yaml by contracts/codegen/socketio-types (npm run generate:contracts).
// The server's Socket.IO handlers and the SDK are typed with these same declarations.
`;

const constantName = (name) => `${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}S`;
const idOf = (schema) => schema.json()['x-parser-schema-id'];
const isComponent = (schema, names) => names.has(idOf(schema));
const quote = (s) => JSON.stringify(s);
const docComment = (text, indent = '') =>
  text ? `${indent}/** ${text.trim().replace(/\*\//g, '*\\/').split('\n').join(`\n${indent} * `)} */\n` : '';

/** A schema as a TypeScript type expression; component schemas are referred to by name. */
function typeOf(schema, names, indent = '') {
  if (isComponent(schema, names) && indent !== null) return idOf(schema);
  const json = schema.json();
  if (json.const !== undefined) return quote(json.const);
  if (json.enum) return json.enum.map(quote).join(' | ');
  if (schema.oneOf())
    return schema
      .oneOf()
      .map((s) => typeOf(s, names, indent ?? ''))
      .join(' | ');
  switch (schema.type()) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return `Array<${typeOf(schema.items(), names, indent ?? '')}>`;
    case 'object': {
      const inner = `${indent ?? ''}  `;
      const required = new Set(schema.required() ?? []);
      const props = Object.entries(schema.properties() ?? {}).map(
        ([name, prop]) =>
          `${docComment(isComponent(prop, names) ? '' : prop.description(), inner)}${inner}${name}${required.has(name) ? '' : '?'}: ${typeOf(prop, names, inner)};`,
      );
      return `{\n${props.join('\n')}\n${indent ?? ''}}`;
    }
    default:
      throw new Error(`templates/socketio-types cannot express schema ${idOf(schema)} (type ${schema.type()})`);
  }
}

function declarations(asyncapi) {
  const schemas = asyncapi.components().schemas();
  const names = new Set(schemas.all().map((s) => idOf(s)));
  return schemas
    .all()
    .map((schema) => {
      const name = idOf(schema);
      // `null` as indent: expand this schema itself instead of naming it.
      const body = typeOf(schema, names, null);
      const doc = docComment(schema.description());
      if (schema.type() === 'object' && !schema.oneOf()) return `${doc}export interface ${name} ${body}`;
      // A string enum also gets its values at run time, as NAME_IN_CAPITALS + S (AckErrorCode: ACK_ERROR_CODES).
      const values = schema.json().enum;
      if (schema.type() === 'string' && values) {
        const list = constantName(name);
        return `${doc}export const ${list} = [${values.map(quote).join(', ')}] as const;\n${doc}export type ${name} = (typeof ${list})[number];`;
      }
      return `${doc}export type ${name} = ${body};`;
    })
    .join('\n\n');
}

function payloadType(message, names) {
  return typeOf(message.payload(), names, '  ');
}

function eventMaps(asyncapi) {
  const names = new Set(
    asyncapi
      .components()
      .schemas()
      .all()
      .map((s) => idOf(s)),
  );
  const clientToServer = [];
  const serverToClient = [];
  const clientEvents = [];
  for (const op of asyncapi.operations().all()) {
    for (const message of op.messages().all()) {
      const event = message.name();
      const doc = docComment(op.summary() ?? op.title(), '  ');
      const payload = payloadType(message, names);
      if (op.action() === 'receive') {
        const reply = op.reply()?.messages().all()[0];
        if (!reply) throw new Error(`operation ${op.id()} has no reply: every client event is acknowledged`);
        clientToServer.push(`${doc}  ${quote(event)}: (payload: ${payload}, ack: (reply: ${payloadType(reply, names)}) => void) => void;`);
        clientEvents.push(`  ${quote(event)}: ${quote(idOf(message.payload()))},`);
      } else {
        serverToClient.push(`${doc}  ${quote(event)}: (payload: ${payload}) => void;`);
      }
    }
  }
  return `/** Events a client emits; each takes an acknowledgement callback. */
export interface ClientToServerEvents {
${clientToServer.join('\n')}
}

/** Events the server emits to clients. */
export interface ServerToClientEvents {
${serverToClient.join('\n')}
}

/** Each client event's payload schema in asyncapi.yaml (components.schemas), for validation at run time. */
export const CLIENT_EVENT_SCHEMAS = {
${clientEvents.join('\n')}
} as const;

export type ClientEventName = keyof ClientToServerEvents;
export type ServerEventName = keyof ServerToClientEvents;
/** The payload of a client event. */
export type ClientEventPayload<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[0];
/** The acknowledgement a client event receives. */
export type ClientEventReply<E extends ClientEventName> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];
/** The payload of a server event. */
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** The AsyncAPI document's version these types were generated from. */
export const ASYNCAPI_VERSION = ${quote(asyncapi.info().version())};
`;
}

export default function ({ asyncapi }) {
  return (
    <File name="realtime-events.ts">
      <Text>{`${HEADER}\n${declarations(asyncapi)}\n\n${eventMaps(asyncapi)}`}</Text>
    </File>
  );
}
