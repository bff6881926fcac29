// Compares two versions of the API contracts and sorts every difference into breaking or not, for the
// compatibility guard (scripts/compat-check.mjs). Maintained diff libraries do the structure:
//   - openapi-diff (Atlassian) compares REST paths and operations, and request and response bodies as sets of
//     values (its json-schema-diff engine);
//   - @asyncapi/diff compares the AsyncAPI document's structure (channels, messages, operations, event names).
// schemaChanges below compares schemas keyword by keyword, in the right direction: REST parameters (which
// openapi-diff does not compare), the keywords its engine ignores (enum, const, pattern, format), and the
// realtime payloads (which @asyncapi/diff calls breaking on any edit, whatever it is).
//
// Direction decides what breaks. What a client sends (request bodies and parameters, events the server
// receives) may only widen: a value accepted before must stay accepted. What a client receives (responses,
// events and acks the server sends) may only narrow, with one rule on top, the tolerant reader: clients
// ignore fields and enum values they do not know, so adding a field or an error code to a response is not
// breaking even though the schemas say `additionalProperties: false`. Removing a field still is.
import asyncapiDiffLib from '@asyncapi/diff';
import { Parser } from '@asyncapi/parser';
import openapiDiff from 'openapi-diff';
import YAML from 'yaml';

// A CommonJS package: its default export is module.exports.
const asyncapiDiff = asyncapiDiffLib.diff;

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Inlines the document's internal `#/...` references (our contracts have no circular ones). */
export function dereference(doc) {
  const resolve = (ref) =>
    ref
      .slice(2)
      .split('/')
      .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce((node, key) => node?.[key], doc);
  const walk = (node, seen) => {
    if (Array.isArray(node)) return node.map((item) => walk(item, seen));
    if (!isObject(node)) return node;
    if (typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
      if (seen.includes(node.$ref)) throw new Error(`circular $ref: ${node.$ref}`);
      const target = resolve(node.$ref);
      if (target === undefined) throw new Error(`unresolved $ref: ${node.$ref}`);
      return walk(target, [...seen, node.$ref]);
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value, seen)]));
  };
  return walk(doc, []);
}

/** The tolerant reader, for openapi-diff's set comparison: a copy of an output schema that allows unknown fields. */
function tolerant(schema) {
  if (Array.isArray(schema)) return schema.map(tolerant);
  if (!isObject(schema)) return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, tolerant(value)]));
  if (copy.additionalProperties === false) delete copy.additionalProperties;
  return copy;
}

const list = (value) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const shown = (values) => values.map((v) => JSON.stringify(v)).join(', ');
const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];

/**
 * Compares two JSON schemas keyword by keyword, walking properties, items and combinator branches (by
 * position). `input` (what clients send) breaks when it accepts less; `output` (what clients receive) breaks
 * when it may carry something a client did not expect, under the tolerant reader (new fields and new enum
 * values are fine). A removed field breaks either way. A changed `pattern` counts as breaking: whether one
 * regular expression accepts everything another does is not decided here. (json-schema-diff, the set engine
 * of openapi-diff, ignores enum, const, pattern and format, and did not finish on our oneOf acks.)
 */
export function schemaChanges(before, after, direction, where, out) {
  if (!isObject(before) || !isObject(after)) return;
  const input = direction === 'input';
  const breaking = (what) => out.breaking.push(`${where}: ${what}`);
  const compatible = (what) => out.nonBreaking.push(`${where}: ${what}`);

  const [wasTypes, nowTypes] = [list(before.type), list(after.type)];
  if (input && nowTypes && (!wasTypes || wasTypes.some((t) => !nowTypes.includes(t)))) breaking(`type narrowed to ${shown(nowTypes)}`);
  if (!input && wasTypes && (!nowTypes || nowTypes.some((t) => !wasTypes.includes(t))))
    breaking(`type widened to ${nowTypes ? shown(nowTypes) : 'anything'}`);
  if (input && before.nullable === true && after.nullable !== true) breaking('no longer accepts null');
  if (!input && before.nullable !== true && after.nullable === true) breaking('may now be null');

  if (Array.isArray(before.enum) || Array.isArray(after.enum)) {
    const removed =
      Array.isArray(before.enum) && Array.isArray(after.enum) ? before.enum.filter((v) => !after.enum.some((w) => same(v, w))) : [];
    const added =
      Array.isArray(before.enum) && Array.isArray(after.enum) ? after.enum.filter((v) => !before.enum.some((w) => same(v, w))) : [];
    if (input && !Array.isArray(before.enum)) breaking(`now limited to ${shown(after.enum)}`);
    else if (!input && !Array.isArray(after.enum)) breaking(`no longer limited to ${shown(before.enum)}`);
    if (input && removed.length > 0) breaking(`no longer accepts ${shown(removed)}`);
    if (!input && removed.length > 0) compatible(`no longer carries ${shown(removed)}`);
    if (added.length > 0) compatible(`${input ? 'accepts' : 'may carry'} ${shown(added)} too`);
  }
  for (const keyword of ['const', 'pattern', 'format']) {
    if (same(before[keyword], after[keyword])) continue;
    if (after[keyword] === undefined) (input ? compatible : breaking)(`${keyword} ${JSON.stringify(before[keyword])} removed`);
    else if (input || before[keyword] !== undefined)
      breaking(`${keyword} ${before[keyword] === undefined ? 'added' : 'changed'}: ${JSON.stringify(after[keyword])}`);
  }
  for (const keyword of LOWER_BOUNDS) {
    if (same(before[keyword], after[keyword])) continue;
    const raised = after[keyword] !== undefined && (before[keyword] === undefined || after[keyword] > before[keyword]);
    (raised === input ? breaking : compatible)(`${keyword} ${before[keyword] ?? 'none'} -> ${after[keyword] ?? 'none'}`);
  }
  for (const keyword of UPPER_BOUNDS) {
    if (same(before[keyword], after[keyword])) continue;
    const lowered = after[keyword] !== undefined && (before[keyword] === undefined || after[keyword] < before[keyword]);
    (lowered === input ? breaking : compatible)(`${keyword} ${before[keyword] ?? 'none'} -> ${after[keyword] ?? 'none'}`);
  }

  const [wasRequired, nowRequired] = [before.required ?? [], after.required ?? []];
  if (input) for (const name of nowRequired.filter((n) => !wasRequired.includes(n))) breaking(`field ${name} is now required`);
  if (!input)
    for (const name of wasRequired.filter((n) => !nowRequired.includes(n) && after.properties?.[n]))
      breaking(`field ${name} may now be missing`);
  for (const [name, schema] of Object.entries(before.properties ?? {})) {
    if (after.properties?.[name]) schemaChanges(schema, after.properties[name], direction, `${where}.${name}`, out);
    else breaking(`field ${name} removed`);
  }
  for (const name of Object.keys(after.properties ?? {}).filter((n) => !before.properties?.[n])) {
    if (!(input && nowRequired.includes(name))) compatible(`field ${name} added`);
  }
  if (input && before.additionalProperties !== false && after.additionalProperties === false) breaking('no longer accepts other fields');
  schemaChanges(before.additionalProperties, after.additionalProperties, direction, `${where}.*`, out);
  schemaChanges(before.items, after.items, direction, `${where}[]`, out);

  for (const combinator of ['oneOf', 'anyOf', 'allOf']) {
    const [was, now] = [before[combinator] ?? [], after[combinator] ?? []];
    was.forEach((schema, i) => schemaChanges(schema, now[i], direction, `${where}(${combinator} ${i})`, out));
    const fewer = combinator === 'allOf' ? now.length > was.length : now.length < was.length;
    if (now.length !== was.length)
      (fewer === input ? breaking : compatible)(`${combinator} has ${now.length} branches (was ${was.length})`);
  }
}

function operations(doc) {
  const found = new Map();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) if (item[method]) found.set(`${method.toUpperCase()} ${path}`, { item, operation: item[method] });
  }
  return found;
}

function parameters({ item, operation }) {
  const all = new Map();
  for (const parameter of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) {
    all.set(`${parameter.in} ${parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name}`, parameter);
  }
  return all;
}

/** Compares two OpenAPI 3 documents (parsed JSON). */
export async function compareOpenapi(beforeDoc, afterDoc) {
  const out = { breaking: [], nonBreaking: [] };
  const before = dereference(beforeDoc);
  const after = dereference(afterDoc);

  // openapi-diff: paths, operations and bodies. Responses go in with the tolerant reader applied.
  const forDiff = (doc) => {
    const copy = structuredClone(doc);
    for (const { operation } of operations(copy).values()) {
      for (const response of Object.values(operation.responses ?? {})) {
        for (const media of Object.values(response.content ?? {})) if (media.schema) media.schema = tolerant(media.schema);
      }
    }
    delete copy.components;
    return { content: JSON.stringify(copy), format: 'openapi3' };
  };
  const result = await openapiDiff.diffSpecs({
    sourceSpec: { ...forDiff(before), location: 'released' },
    destinationSpec: { ...forDiff(after), location: 'committed' },
  });
  const describe = (difference) => {
    const where = [...difference.sourceSpecEntityDetails, ...difference.destinationSpecEntityDetails].map((d) => d.location)[0];
    return `openapi ${difference.code} at ${where}`;
  };
  out.breaking.push(...(result.breakingDifferences?.map(describe) ?? []));
  out.breaking.push(...result.unclassifiedDifferences.map(describe));
  out.nonBreaking.push(...result.nonBreakingDifferences.map(describe));

  // What openapi-diff leaves out: parameters, and the keywords it ignores in request bodies.
  const afterOperations = operations(after);
  for (const [name, was] of operations(before)) {
    const now = afterOperations.get(name);
    if (!now) continue; // reported by openapi-diff
    const wasParameters = parameters(was);
    const nowParameters = parameters(now);
    for (const [key, parameter] of wasParameters) {
      const next = nowParameters.get(key);
      if (!next) {
        out.breaking.push(`openapi ${name}: parameter ${key} removed`);
        continue;
      }
      if (next.required && !parameter.required) out.breaking.push(`openapi ${name}: parameter ${key} is now required`);
      if (parameter.schema && next.schema) schemaChanges(parameter.schema, next.schema, 'input', `openapi ${name} parameter ${key}`, out);
    }
    for (const [key, parameter] of nowParameters) {
      if (wasParameters.has(key)) continue;
      (parameter.required ? out.breaking : out.nonBreaking).push(
        `openapi ${name}: ${parameter.required ? 'required' : 'optional'} parameter ${key} added`,
      );
    }
    for (const [type, media] of Object.entries(was.operation.requestBody?.content ?? {})) {
      const next = now.operation.requestBody?.content?.[type];
      if (media.schema && next?.schema) schemaChanges(media.schema, next.schema, 'input', `openapi ${name} request body (${type})`, out);
    }
    for (const [status, response] of Object.entries(was.operation.responses ?? {})) {
      for (const [type, media] of Object.entries(response.content ?? {})) {
        const next = now.operation.responses?.[status]?.content?.[type];
        if (media.schema && next?.schema)
          schemaChanges(media.schema, next.schema, 'output', `openapi ${name} response ${status} (${type})`, out);
      }
    }
  }
  return out;
}

/** Which messages of the document a client sends (the server's `receive` operations) and receives. */
function messageDirections(raw) {
  const directions = new Map();
  const mark = (ref, direction) => {
    const set = directions.get(ref) ?? new Set();
    set.add(direction);
    directions.set(ref, set);
  };
  for (const operation of Object.values(raw.operations ?? {})) {
    for (const message of operation.messages ?? []) mark(message.$ref, operation.action === 'receive' ? 'input' : 'output');
    for (const message of operation.reply?.messages ?? []) mark(message.$ref, operation.action === 'receive' ? 'output' : 'input');
  }
  return directions;
}

async function parseAsyncapi(text, label) {
  const { document, diagnostics } = await new Parser().parse(text);
  const errors = diagnostics.filter((d) => d.severity === 0);
  if (!document || errors.length > 0) throw new Error(`${label} AsyncAPI document is invalid: ${errors.map((d) => d.message).join('; ')}`);
  return document.json();
}

// @asyncapi/diff walks the parser's output, where every operation repeats its channel and messages, the parser
// adds its own x-parser-* keys and components hold what the channels already show. Payloads are judged by
// schemaChanges, with the direction @asyncapi/diff's standard does not know (it calls any payload edit breaking).
const JUDGED_ELSEWHERE = [/\/x-parser-/, /\/payload(\/|$)/, /^\/components(\/|$)/, /^\/operations\/[^/]+\/(channel|reply\/channel)(\/|$)/];

/** Compares two AsyncAPI 3 documents (YAML or JSON text). */
export async function compareAsyncapi(beforeText, afterText) {
  const out = { breaking: [], nonBreaking: [] };
  const [beforeParsed, afterParsed] = [await parseAsyncapi(beforeText, 'released'), await parseAsyncapi(afterText, 'committed')];
  const result = asyncapiDiff(beforeParsed, afterParsed, {
    override: { '/info/version': { add: 'non-breaking', remove: 'breaking', edit: 'non-breaking' } },
  });
  const relevant = (change) => !JUDGED_ELSEWHERE.some((pattern) => pattern.test(change.path));
  const describe = (change) => `asyncapi ${change.action} ${change.path}`;
  out.breaking.push(...result.breaking().filter(relevant).map(describe));
  out.breaking.push(...result.unclassified().filter(relevant).map(describe));
  out.nonBreaking.push(...result.nonBreaking().filter(relevant).map(describe));

  const beforeRaw = YAML.parse(beforeText);
  const afterRaw = YAML.parse(afterText);
  const before = dereference(beforeRaw);
  const after = dereference(afterRaw);
  for (const [ref, directions] of messageDirections(beforeRaw)) {
    const [, , channel, , key] = ref.split('/');
    const was = before.channels?.[channel]?.messages?.[key];
    const now = after.channels?.[channel]?.messages?.[key];
    if (!was?.payload || !now?.payload) continue; // a removed message is reported by @asyncapi/diff
    for (const direction of directions) {
      schemaChanges(
        was.payload,
        now.payload,
        direction,
        `asyncapi message ${was.name ?? key} (${direction === 'input' ? 'client sends' : 'client receives'})`,
        out,
      );
    }
  }
  return out;
}
