import fs from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import { CLIENT_EVENT_SCHEMAS, type ClientEventName } from '@sealroom/contracts';
import { ASYNCAPI_PATH } from '../paths';

const DOCUMENT_ID = 'asyncapi.yaml';

const quietAboutUnicodeOption = {
  log: console.log,
  warn: (...args: unknown[]) => {
    if (!String(args[0]).startsWith('DEPRECATED: option unicode')) console.warn(...args);
  },
  error: console.error,
};

/**
 * The payload schemas of asyncapi.yaml, compiled once at start-up. Every incoming event is checked against
 * its message's schema before any handler runs; tests check every outgoing event the same way.
 */
export class RealtimeContract {
  private readonly ajv: Ajv;
  private readonly clientValidators = new Map<string, ValidateFunction>();

  constructor(documentPath = ASYNCAPI_PATH) {
    const document = YAML.parse(fs.readFileSync(documentPath, 'utf8')) as Record<string, unknown>;
    // The whole document is registered so that `#/components/schemas/...` references resolve inside it;
    // ajv is not strict because AsyncAPI keywords (info, channels, ...) are not JSON Schema keywords.
    //
    // `unicode: false` counts maxLength in UTF-16 units instead of walking every string to count code points
    // (4 of the 5.5 µs a message's validation took). The same for every string a client sends: each has an
    // ASCII-only pattern. Ajv calls the option deprecated; its notice is the one log line dropped here.
    this.ajv = new Ajv({ strict: false, allErrors: false, unicode: false, logger: quietAboutUnicodeOption });
    addFormats(this.ajv);
    this.ajv.addSchema({ ...document, $id: DOCUMENT_ID });
    for (const [event, schemaName] of Object.entries(CLIENT_EVENT_SCHEMAS)) {
      this.clientValidators.set(event, this.schema(schemaName));
    }
  }

  isClientEvent(event: unknown): event is ClientEventName {
    return typeof event === 'string' && this.clientValidators.has(event);
  }

  /** Checks a client event's payload; returns null when it conforms, else the first problem. */
  checkClientPayload(event: ClientEventName, payload: unknown): ErrorObject | null {
    const validate = this.clientValidators.get(event) as ValidateFunction;
    return validate(payload) ? null : (validate.errors?.[0] ?? null);
  }

  /** A validator for any schema under components.schemas (used by tests for outgoing events and acks). */
  schema(name: string): ValidateFunction {
    const validate = this.ajv.getSchema(`${DOCUMENT_ID}#/components/schemas/${name}`);
    if (!validate) throw new Error(`asyncapi.yaml has no components.schemas.${name}`);
    return validate;
  }
}
